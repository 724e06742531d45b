package dev.bgtask.runtime.cli;

import dev.bgtask.runtime.store.TaskAdmin;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "show", description = "Shows one task, with its arguments and its last error.")
final class ShowCommand implements Runnable {

  @Mixin
  TaskDatabaseOptions options;

  @Parameters(paramLabel = "ID")
  long id;

  @Override
  public void run() {
    Map<String, Object> task = options.readingTasks(database -> new TaskAdmin(database).find(id))
        .orElseThrow(() -> new IllegalArgumentException("no task " + id));
    if (options.json) {
      options.printJson(task);
      return;
    }
    task.forEach((column, value) -> options.out().printf("%-13s %s%n", column, value == null ? "" : value));
  }
}
