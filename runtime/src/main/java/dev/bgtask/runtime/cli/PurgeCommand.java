package dev.bgtask.runtime.cli;

import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "purge", description = "Deletes finished tasks from the history.")
final class PurgeCommand implements Runnable {

  @Mixin
  TaskDatabaseOptions options;

  @Option(names = "--older-than", description = "only those finished longer ago than this many seconds (default: all)")
  long olderThanSeconds;

  @Override
  public void run() {
    int purged = options.withTasks(admin -> admin.purgeFinishedBefore(admin.databaseNow().minus(Duration.ofSeconds(olderThanSeconds))));
    if (options.json) {
      options.printJson(Map.of("action", "purged", "count", purged));
    } else {
      options.out().println(purged + " finished task(s) purged");
    }
  }
}
