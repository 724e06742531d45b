package dev.bgtask.runtime.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "delete", description = "Deletes a waiting or finished task; a running one is left alone.")
final class DeleteCommand implements Runnable {

  @Mixin
  TaskDatabaseOptions options;

  @Parameters(paramLabel = "ID")
  long id;

  @Override
  public void run() {
    options.changeOne(id, admin -> admin.delete(id), "deleted", "no waiting or finished task " + id, "task " + id + " deleted");
  }
}
