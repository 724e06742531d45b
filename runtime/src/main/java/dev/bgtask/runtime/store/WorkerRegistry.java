package dev.bgtask.runtime.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Which worker JVMs are alive. Each records a heartbeat; one silent for longer than the timeout is
 * dead, and its claimed tasks are released to run again, or kept as failed when their attempts are
 * used up, so a task that kills its JVM cannot retry forever. Every statement is conditional on the
 * dead worker's id: a task another worker has claimed since is never touched.
 */
public final class WorkerRegistry {

  /** What a reaping found: workers declared dead, tasks released, tasks given up. */
  public record Reaped(int workers, int released, int gaveUp) {}

  private final Database database;

  public WorkerRegistry(Database database) {
    this.database = database;
  }

  public void beat(String id, String host, long pid, Instant now) {
    database.inTransaction(WorkerMapper.class, mapper -> mapper.beat(id, now) == 1 || mapper.register(id, host, pid, now) == 1);
  }

  public Reaped reapSilentFor(Duration timeout, Instant now) {
    List<String> dead = database.inTransaction(WorkerMapper.class, mapper -> mapper.findSilentSince(now.minus(timeout)));
    int released = 0;
    int gaveUp = 0;
    for (String worker : dead) {
      String error = "the worker running this task (" + worker + ") stopped without finishing it: no heartbeat for "
          + timeout.toSeconds() + " s (killed, crashed or halted)";
      int[] counts = database.inTransaction(WorkerMapper.class, mapper -> {
        int exhausted = mapper.copyExhaustedToCompleted(worker, error, now);
        mapper.deleteExhausted(worker);
        int back = mapper.releaseClaimsOf(worker, error, now);
        mapper.forget(worker);
        return new int[] {back, exhausted};
      });
      released += counts[0];
      gaveUp += counts[1];
    }
    return new Reaped(dead.size(), released, gaveUp);
  }

  /** On a clean stop: nothing of this worker is claimed any more. */
  public void forget(String id) {
    database.inTransaction(WorkerMapper.class, mapper -> mapper.forget(id));
  }
}
