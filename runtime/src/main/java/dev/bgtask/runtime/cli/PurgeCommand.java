package dev.bgtask.runtime.cli;

import java.time.Duration;
import java.time.Instant;
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
    Instant before = Instant.now().minus(Duration.ofSeconds(olderThanSeconds));
    int purged = options.withTasks(admin -> admin.purgeFinishedBefore(before));
    if (options.json) {
      options.printJson(Map.of("action", "purged", "count", purged));
    } else {
      options.out().println(purged + " finished task(s) purged");
    }
  }
}
