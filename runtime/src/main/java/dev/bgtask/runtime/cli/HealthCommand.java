package dev.bgtask.runtime.cli;

import dev.bgtask.runtime.config.Settings;
import dev.bgtask.runtime.health.HealthCheck;
import dev.bgtask.runtime.store.DatabaseClock;
import dev.bgtask.runtime.store.TaskBrowser;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "health", description = "Checks the task database and its workers: exit code 0 when healthy, 1 when not.")
final class HealthCommand implements Callable<Integer> {

  @Mixin
  TaskDatabaseOptions options;

  @Override
  public Integer call() {
    Settings settings = options.settings();
    HealthCheck.Result result;
    try {
      result = TaskDatabaseOptions.readingDatabase(settings, database -> new HealthCheck(new TaskBrowser(database),
          DatabaseClock.read(database), settings.workerTimeout(), Optional::empty).check());
    } catch (RuntimeException unreachable) {
      result = new HealthCheck.Result(false, Map.of("database", Map.of("status", "DOWN", "error",
          String.valueOf(unreachable.getMessage()))));
    }
    if (options.json) {
      options.printJson(result.asMap());
    } else {
      options.out().println(result.status());
      result.checks().forEach((name, check) -> options.out().println("  " + name + ": " + check));
    }
    return result.up() ? 0 : 1;
  }
}
