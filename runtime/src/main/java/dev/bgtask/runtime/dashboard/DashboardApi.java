package dev.bgtask.runtime.dashboard;

import dev.bgtask.runtime.schedule.Recurrence;
import dev.bgtask.runtime.store.QueuePauses;
import dev.bgtask.runtime.store.RecurringScheduleStore;
import dev.bgtask.runtime.store.TaskAdmin;
import dev.bgtask.runtime.store.TaskBrowser;
import dev.bgtask.runtime.store.TaskFilter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's JSON API: what its pages read ({@code GET api/...}) and the actions they take
 * ({@code POST api/...}). Every time it compares comes from the database's clock.
 */
final class DashboardApi {

  /** What a request gets: a status and a value written as JSON. */
  record Reply(int status, Object body) {
    static Reply ok(Object body) {
      return new Reply(200, body);
    }

    static Reply error(int status, String message) {
      return new Reply(status, Map.of("error", message));
    }
  }

  /** What a request asks: its method, its path under {@code api/} in segments, its query and its JSON body. */
  record Request(String method, List<String> path, Map<String, String> query, Map<String, Object> body) {
    String query(String name) {
      String value = query.get(name);
      return value == null || value.isBlank() ? null : value;
    }

    String bodyText(String name) {
      Object value = body.get(name);
      return value == null ? null : value.toString();
    }
  }

  private static final int PAGE_SIZE = 50;
  private static final int MAX_PAGE_SIZE = 500;

  private final TaskBrowser browser;
  private final TaskAdmin admin;
  private final QueuePauses pauses;
  private final RecurringScheduleStore schedules;
  private final Overview overview;
  private final Clock clock;
  private final Duration workerTimeout;
  private final DashboardAccess access;

  DashboardApi(TaskBrowser browser, TaskAdmin admin, QueuePauses pauses, RecurringScheduleStore schedules, Overview overview,
      Clock clock, Duration workerTimeout, DashboardAccess access) {
    this.browser = browser;
    this.admin = admin;
    this.pauses = pauses;
    this.schedules = schedules;
    this.overview = overview;
    this.clock = clock;
    this.workerTimeout = workerTimeout;
    this.access = access;
  }

  Reply handle(Request request) {
    List<String> path = request.path();
    String first = path.isEmpty() ? "" : path.get(0);
    boolean get = request.method().equals("GET");
    return switch (first) {
      case "session" -> get ? session() : notFound();
      case "overview" -> get ? Reply.ok(overview.overview(clock.instant(), workerTimeout)) : notFound();
      case "queues" -> get ? Reply.ok(Map.of("now", clock.instant(), "queues", overview.queues(clock.instant()))) : queueAction(request);
      case "workers" -> get ? workers() : notFound();
      case "recurring" -> get ? recurring() : recurringAction(request);
      case "tasks" -> tasks(request);
      default -> notFound();
    };
  }

  private Reply session() {
    Map<String, Object> session = new LinkedHashMap<>();
    session.put("readOnly", access.readOnly());
    session.put("csrf", access.csrf());
    session.put("now", clock.instant());
    String version = DashboardApi.class.getPackage().getImplementationVersion();
    session.put("version", version == null ? "" : version);
    return Reply.ok(session);
  }

  private Reply tasks(Request request) {
    List<String> path = request.path();
    boolean get = request.method().equals("GET");
    if (path.size() == 1 && get) {
      return page(request);
    }
    if (path.size() == 2 && path.get(1).equals("count") && get) {
      long counted = browser.count(filter(request.query()), clock.instant(), Overview.COUNT_CAP + 1);
      return Reply.ok(Map.of("count", Math.min(counted, Overview.COUNT_CAP), "capped", counted > Overview.COUNT_CAP));
    }
    if (path.size() == 2 && path.get(1).equals("bulk") && !get) {
      return bulk(request);
    }
    long id = id(path.size() > 1 ? path.get(1) : "");
    if (path.size() == 2 && get) {
      return browser.task(id, clock.instant()).map(Reply::ok).orElseGet(() -> Reply.error(404, "no task " + id));
    }
    if (path.size() == 3 && !get) {
      return taskAction(id, path.get(2));
    }
    return notFound();
  }

  private Reply page(Request request) {
    int limit = request.query("limit") == null ? PAGE_SIZE : Math.min(MAX_PAGE_SIZE, Math.max(1, (int) id(request.query("limit"))));
    Long before = request.query("before") == null ? null : id(request.query("before"));
    Instant now = clock.instant();
    TaskBrowser.Page page = browser.page(filter(request.query()), before, limit, now);
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("now", now);
    reply.put("tasks", page.tasks().stream().map(DashboardApi::listed).toList());
    reply.put("nextBefore", page.nextBefore());
    return Reply.ok(reply);
  }

  /** A task as a list shows it: arguments and error cut short; the detail page shows them whole. */
  private static Map<String, Object> listed(Map<String, Object> task) {
    Map<String, Object> row = new LinkedHashMap<>(task);
    row.computeIfPresent("arguments", (key, value) -> shorten(value.toString(), 160));
    row.computeIfPresent("last_error", (key, value) -> shorten(value.toString().lines().findFirst().orElse(""), 200));
    return row;
  }

  private static String shorten(String text, int length) {
    return text.length() <= length ? text : text.substring(0, length) + "…";
  }

  private Reply taskAction(long id, String action) {
    Instant now = clock.instant();
    return switch (action) {
      case "retry" -> done(admin.retry(id, now), id, "retried", "no failed task " + id);
      case "run-now" -> done(admin.runNow(id, now), id, "due now", "no waiting or scheduled task " + id);
      case "delete" -> done(admin.delete(id), id, "deleted", "no waiting, scheduled or finished task " + id
          + " (a running task is cancelled, not deleted)");
      case "cancel" -> switch (admin.cancel(id, workerTimeout)) {
        case REQUESTED -> Reply.ok(Map.of("id", id, "result", "cancel requested: its worker interrupts it at its next heartbeat"));
        case CANCELLED -> Reply.ok(Map.of("id", id, "result", "cancelled: its worker was gone"));
        case NOT_RUNNING -> Reply.error(409, "task " + id + " is not running (or its cancel was already requested)");
      };
      default -> notFound();
    };
  }

  private static Reply done(boolean changed, long id, String result, String refusal) {
    return changed ? Reply.ok(Map.of("id", id, "result", result)) : Reply.error(409, refusal);
  }

  /**
   * Retries or deletes the tasks a filter matches, no more than the {@code expected} count the user
   * confirmed: tasks that came to match since then are left alone.
   */
  private Reply bulk(Request request) {
    Map<String, String> filter = new LinkedHashMap<>();
    Object given = request.body().get("filter");
    if (given instanceof Map<?, ?> map) {
      map.forEach((key, value) -> filter.put(String.valueOf(key), value == null ? null : String.valueOf(value)));
    }
    long expected = request.body().get("expected") instanceof Number number ? number.longValue() : -1;
    if (expected < 0 || expected > Overview.COUNT_CAP) {
      throw new IllegalArgumentException("a bulk action needs the count it was confirmed for, 0 to " + Overview.COUNT_CAP);
    }
    TaskFilter tasks = filter(filter);
    Instant now = clock.instant();
    long done = switch (String.valueOf(request.body().get("action"))) {
      case "retry" -> admin.retryAll(tasks, expected, now);
      case "delete" -> admin.deleteAll(tasks, expected, now);
      default -> throw new IllegalArgumentException("unknown bulk action " + request.body().get("action") + ": retry or delete");
    };
    return Reply.ok(Map.of("done", done));
  }

  private Reply workers() {
    Instant now = clock.instant();
    List<Map<String, Object>> running = browser.runningTasks(1_000);
    List<Map<String, Object>> workers = new ArrayList<>();
    for (Map<String, Object> row : browser.workers()) {
      Map<String, Object> worker = new LinkedHashMap<>(row);
      Instant heartbeat = (Instant) row.get("heartbeat_at");
      long age = heartbeat == null ? -1 : Duration.between(heartbeat, now).toMillis();
      worker.put("heartbeatAgeMs", age);
      worker.put("alive", age >= 0 && age < workerTimeout.toMillis());
      worker.put("running", running.stream().filter(task -> row.get("id").equals(task.get("claimed_by"))).toList());
      workers.add(worker);
    }
    return Reply.ok(Map.of("now", now, "workers", workers, "workerTimeoutMs", workerTimeout.toMillis()));
  }

  private Reply queueAction(Request request) {
    String queue = request.bodyText("queue");
    if (queue == null || request.path().size() != 2) {
      return Reply.error(400, "name the queue: POST api/queues/pause or api/queues/resume with {\"queue\": \"...\"}");
    }
    return switch (request.path().get(1)) {
      case "pause" -> pauses.pause(queue, clock.instant())
          ? Reply.ok(Map.of("queue", queue, "result", "paused in every JVM")) : Reply.error(409, "queue '" + queue + "' is paused already");
      case "resume" -> pauses.resume(queue)
          ? Reply.ok(Map.of("queue", queue, "result", "resumed")) : Reply.error(409, "queue '" + queue + "' is not paused");
      default -> notFound();
    };
  }

  private Reply recurring() {
    return Reply.ok(Map.of("now", clock.instant(), "schedules", browser.recurringSchedules()));
  }

  private Reply recurringAction(Request request) {
    String name = request.bodyText("name");
    if (name == null || request.path().size() != 2) {
      return Reply.error(400, "name the schedule: POST api/recurring/run-now, disable or enable with {\"name\": \"...\"}");
    }
    Instant now = clock.instant();
    return switch (request.path().get(1)) {
      case "run-now" -> schedules.runNow(name, now)
          .map(id -> Reply.ok(Map.of("name", name, "id", id, "result", "stored task " + id + ", due now")))
          .orElseGet(() -> Reply.error(404, "no recurring schedule '" + name + "'"));
      case "disable" -> schedules.disable(name)
          ? Reply.ok(Map.of("name", name, "result", "disabled in every JVM")) : Reply.error(409, "no enabled schedule '" + name + "'");
      case "enable" -> schedules.enable(name, now, (schedule, after) -> nextFireTime(schedule.getCron(), schedule.getPeriodMs(), after))
          ? Reply.ok(Map.of("name", name, "result", "enabled")) : Reply.error(409, "no disabled schedule '" + name + "'");
      default -> notFound();
    };
  }

  /** The next fire time after {@code after}; null (kept as it was) when the stored definition cannot be read. */
  private static Instant nextFireTime(String cron, Long periodMs, Instant after) {
    try {
      return Recurrence.of(cron, periodMs).nextAfter(after);
    } catch (RuntimeException unreadable) {
      return null;
    }
  }

  private static TaskFilter filter(Map<String, String> query) {
    String id = query.get("id");
    return new TaskFilter(query.get("state"), id == null || id.isBlank() ? null : id(id.trim()), query.get("queue"),
        query.get("name"), query.get("args"));
  }

  private static long id(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a number");
    }
  }

  private static Reply notFound() {
    return Reply.error(404, "no such page or action");
  }
}
