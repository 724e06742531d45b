package dev.bgtask.runtime.health;

import dev.bgtask.runtime.store.TaskBrowser;
import dev.bgtask.runtime.worker.WorkerPool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether the queue works: the database answers; no claim is held by a worker that has been gone
 * for long (nobody reaps it); tasks that are due have a live worker to run them; and, in a JVM
 * with workers, its heartbeat is confirmed and its dispatcher is not stuck. Served as
 * {@code /health} and by the {@code health} command.
 */
public final class HealthCheck {

  /** The verdict, UP only when every check is, and each check's figures. */
  public record Result(boolean up, Map<String, Map<String, Object>> checks) {
    public String status() {
      return up ? "UP" : "DOWN";
    }

    public Map<String, Object> asMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("status", status());
      map.put("checks", checks);
      return map;
    }
  }

  private final TaskBrowser browser;
  private final Clock clock;
  private final Duration workerTimeout;
  private final Supplier<Optional<WorkerPool.Status>> workers;

  /** {@code workers}: this JVM's workers, when it has any. */
  public HealthCheck(TaskBrowser browser, Clock clock, Duration workerTimeout, Supplier<Optional<WorkerPool.Status>> workers) {
    this.browser = browser;
    this.clock = clock;
    this.workerTimeout = workerTimeout;
    this.workers = workers;
  }

  public Result check() {
    Map<String, Map<String, Object>> checks = new LinkedHashMap<>();
    boolean up = true;
    Instant now = clock.instant();
    long began = System.nanoTime();
    try {
      int live = browser.liveWorkers(now.minus(workerTimeout));
      checks.put("database", check(true, "latencyMs", (System.nanoTime() - began) / 1_000_000));
      long stuck = browser.claimsOfSilentWorkers(now.minus(workerTimeout.multipliedBy(2)));
      checks.put("claims", check(stuck == 0, "heldByGoneWorkers", stuck));
      Map<String, Object> waiting = browser.waitingSummary(now);
      Instant oldest = (Instant) waiting.get("oldest_due");
      double oldestSeconds = oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toMillis() / 1000.0);
      boolean unserved = live == 0 && oldestSeconds > workerTimeout.toSeconds();
      Map<String, Object> queue = check(!unserved, "liveWorkerJvms", live);
      queue.put("waiting", waiting.get("waiting"));
      queue.put("oldestWaitingSeconds", oldestSeconds);
      checks.put("queue", queue);
      up = stuck == 0 && !unserved;
    } catch (RuntimeException e) {
      checks.put("database", check(false, "error", e.getMessage()));
      up = false;
    }
    Optional<WorkerPool.Status> status = workers.get();
    if (status.isPresent()) {
      Map<String, Object> jvm = thisJvm(status.get());
      checks.put("workers", jvm);
      up &= "UP".equals(jvm.get("status"));
    }
    return new Result(up, checks);
  }

  private Map<String, Object> thisJvm(WorkerPool.Status status) {
    boolean heartbeatFresh = status.leaseHeld() && status.heartbeatAgeMillis() < workerTimeout.toMillis() / 2;
    long stuckAfter = status.sleep().toMillis() * 2 + workerTimeout.toMillis();
    boolean dispatcherAlive = status.stopping() || status.dispatcherIdleMillis() < stuckAfter;
    Map<String, Object> jvm = check(heartbeatFresh && dispatcherAlive, "threads", status.threads());
    jvm.put("busy", status.busy());
    jvm.put("leaseHeld", status.leaseHeld());
    jvm.put("heartbeatAgeMs", status.heartbeatAgeMillis());
    jvm.put("dispatcherIdleMs", status.dispatcherIdleMillis());
    return jvm;
  }

  private static Map<String, Object> check(boolean up, String key, Object value) {
    Map<String, Object> check = new LinkedHashMap<>();
    check.put("status", up ? "UP" : "DOWN");
    check.put(key, value);
    return check;
  }
}
