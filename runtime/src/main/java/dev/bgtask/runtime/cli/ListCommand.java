package dev.bgtask.runtime.cli;

import dev.bgtask.runtime.store.TaskAdmin;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", description = "Lists tasks, newest first.")
final class ListCommand implements Runnable {

  @Mixin
  TaskDatabaseOptions options;

  @Option(names = "--state", description = "pending, running, succeeded or failed")
  State state;

  @Option(names = "--queue", description = "only this queue")
  String queue;

  @Option(names = "--name", description = "only tasks of this name")
  String name;

  @Option(names = "--limit", defaultValue = "100", description = "at most this many (default ${DEFAULT-VALUE})")
  int limit;

  enum State { pending, running, succeeded, failed }

  @Override
  public void run() {
    List<Map<String, Object>> tasks = options.readingTasks(database -> new TaskAdmin(database)
        .list(state == null ? null : state.name(), queue, name, limit));
    if (options.json) {
      options.printJson(tasks);
      return;
    }
    options.out().printf("%-8s %-10s %-40s %-10s %-9s %s%n", "ID", "STATE", "NAME", "QUEUE", "ATTEMPTS", "LAST ERROR");
    for (Map<String, Object> task : tasks) {
      String error = task.get("last_error") == null ? "" : ((String) task.get("last_error")).lines().findFirst().orElse("");
      options.out().printf("%-8s %-10s %-40s %-10s %-9s %s%n", task.get("id"), task.get("state"), task.get("task_name"),
          task.get("queue_name"), task.get("attempts") + "/" + task.get("max_attempts"), error);
    }
  }
}
