package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read side of the dashboard and of the health checks: pages of tasks, one task in full, and
 * summaries of the live table, the workers and the recurring schedules. Rows come as plain maps
 * ({@link Rows}), ready to be written as JSON.
 */
public final class TaskBrowser {

  /** One page of tasks, newest first, and the id to pass as {@code before} for the next one (null on the last page). */
  public record Page(List<Map<String, Object>> tasks, Long nextBefore) {}

  private final Database database;

  public TaskBrowser(Database database) {
    this.database = database;
  }

  public Page page(TaskFilter filter, Long before, int limit, Instant now) {
    List<Map<String, Object>> rows = database.inTransaction(TaskBrowserMapper.class, mapper -> filter.isLive()
        ? mapper.livePage(filter.state(), now, filter.id(), filter.queue(), filter.nameLike(), filter.argumentsLike(), before, limit + 1)
        : mapper.finishedPage(filter.state(), filter.id(), filter.queue(), filter.nameLike(), filter.argumentsLike(), before, limit + 1));
    List<Map<String, Object>> tasks = new ArrayList<>();
    for (Map<String, Object> row : rows.subList(0, Math.min(limit, rows.size()))) {
      Map<String, Object> task = Rows.plain(row);
      task.put("state", filter.state());
      tasks.add(task);
    }
    Long next = rows.size() > limit ? Rows.number(tasks.get(tasks.size() - 1).get("id")) : null;
    return new Page(tasks, next);
  }

  /** How many tasks {@code filter} matches, counting no further than {@code cap}. */
  public long count(TaskFilter filter, Instant now, long cap) {
    return database.inTransaction(TaskBrowserMapper.class, mapper -> filter.isLive()
        ? mapper.countLive(filter.state(), now, filter.id(), filter.queue(), filter.nameLike(), filter.argumentsLike(), cap)
        : mapper.countFinished(filter.state(), filter.id(), filter.queue(), filter.nameLike(), filter.argumentsLike(), cap));
  }

  /**
   * Every column of one task, wherever it is, with its state and, while it runs, the worker that
   * runs it. The claim token and de-duplication key are left out: they are the workers' business.
   */
  public Optional<Map<String, Object>> task(long id, Instant now) {
    return database.inTransaction(TaskBrowserMapper.class, mapper -> {
      Map<String, Object> live = mapper.liveRow(id);
      if (live != null) {
        Map<String, Object> task = Rows.plain(live);
        boolean claimed = task.get("claim_token") != null;
        Instant due = Rows.instant(task.get("due_at"));
        task.put("state", claimed ? "running" : due != null && due.isAfter(now) ? "scheduled" : "waiting");
        if (claimed && task.get("claimed_by") != null) {
          task.put("worker", Rows.plain(mapper.worker((String) task.get("claimed_by"))));
        }
        task.remove("claim_token");
        task.remove("pending_key");
        return Optional.of(task);
      }
      Map<String, Object> finished = mapper.finishedRow(id);
      if (finished == null) {
        return Optional.<Map<String, Object>>empty();
      }
      Map<String, Object> task = Rows.plain(finished);
      task.put("state", "FAILED".equals(task.get("outcome")) ? "failed" : "succeeded");
      return Optional.of(task);
    });
  }

  /** Per queue: waiting, scheduled and running tasks, and the oldest waiting task's due time. */
  public List<Map<String, Object>> queueDepths(Instant now) {
    return plain(database.inTransaction(TaskBrowserMapper.class, mapper -> mapper.queueDepths(now)));
  }

  /** How many tasks are due and waiting ({@code waiting}), and the oldest one's due time ({@code oldest_due}, or null). */
  public Map<String, Object> waitingSummary(Instant now) {
    return Rows.plain(database.inTransaction(TaskBrowserMapper.class, mapper -> mapper.waitingSummary(now)));
  }

  public List<Map<String, Object>> workers() {
    return plain(database.inTransaction(TaskBrowserMapper.class, TaskBrowserMapper::workers));
  }

  public List<Map<String, Object>> runningTasks(int limit) {
    return plain(database.inTransaction(TaskBrowserMapper.class, mapper -> mapper.runningTasks(limit)));
  }

  public List<Map<String, Object>> recurringSchedules() {
    return plain(database.inTransaction(TaskBrowserMapper.class, TaskBrowserMapper::recurringSchedules));
  }

  public int liveWorkers(Instant since) {
    return database.inTransaction(TaskBrowserMapper.class, mapper -> mapper.liveWorkers(since));
  }

  public long claimsOfSilentWorkers(Instant since) {
    return database.inTransaction(TaskBrowserMapper.class, mapper -> mapper.claimsOfSilentWorkers(since));
  }

  private static List<Map<String, Object>> plain(List<Map<String, Object>> rows) {
    return rows.stream().map(Rows::plain).toList();
  }
}
