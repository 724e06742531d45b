package dev.bgtask.runtime.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "run-now", description = "Makes a waiting task due now; the next free worker runs it.")
final class RunNowCommand implements Runnable {

  @Mixin
  TaskDatabaseOptions options;

  @Parameters(paramLabel = "ID")
  long id;

  @Override
  public void run() {
    options.changeOne(id, admin -> admin.runNow(id, admin.databaseNow()), "due-now",
        "no waiting task " + id + " (running and finished tasks cannot be made due)", "task " + id + " is due now");
  }
}
