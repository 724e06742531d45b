package dev.bgtask.runtime.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "retry", description = "Puts a failed task back in the queue, due now, with fresh attempts.")
final class RetryCommand implements Runnable {

  @Mixin
  TaskDatabaseOptions options;

  @Parameters(paramLabel = "ID")
  long id;

  @Override
  public void run() {
    options.changeOne(id, admin -> admin.retry(id, admin.databaseNow()), "retried",
        "no failed task " + id + " (only failed tasks can be retried)", "task " + id + " is queued again");
  }
}
