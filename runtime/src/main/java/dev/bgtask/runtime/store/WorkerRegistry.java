package dev.bgtask.runtime.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Which worker JVMs are alive. Each records a heartbeat; one silent for longer than the timeout is
 * dead, and its claimed tasks are released to run again, or kept as failed when their attempts are
 * used up, so a task that kills its JVM cannot retry forever. Reaping one worker is one
 * transaction whose first statement removes the worker only if it is still silent; every other is
 * conditional on the dead worker's id, so a task another worker has claimed since is never touched.
 */
public final class WorkerRegistry {

  /** What a reaping found: workers declared dead, tasks released, tasks given up. */
  public record Reaped(int workers, int released, int gaveUp) {}

  private final Database database;

  public WorkerRegistry(Database database) {
    this.database = database;
  }

  /** Records a new worker; its first heartbeat is {@code now}. */
  public void register(String id, String host, long pid, Instant now) {
    register(id, host, pid, now, 0, null);
  }

  /** Records a new worker with its thread count and the queues it takes ({@code a|b}; null: all). */
  public void register(String id, String host, long pid, Instant now, int threads, String queues) {
    database.inTransaction(WorkerMapper.class, mapper -> mapper.register(id, host, pid, now, threads, queues));
  }

  /** Records a heartbeat; false when the worker's row is gone: another JVM took it for dead and reaped it. */
  public boolean beat(String id, Instant now) {
    return database.inTransaction(WorkerMapper.class, mapper -> mapper.beat(id, now) == 1);
  }

  /**
   * Reaps the workers silent for longer than {@code timeout}. {@code nextRepetition} gives a
   * repeating task's next due time after {@code now}, if its chain goes on.
   */
  public Reaped reapSilentFor(Duration timeout, Instant now, BiFunction<ClaimedTask, Instant, Optional<Instant>> nextRepetition) {
    Instant silentSince = now.minus(timeout);
    List<String> silent = database.inTransaction(WorkerMapper.class, mapper -> mapper.findSilentSince(silentSince));
    int workers = 0;
    int released = 0;
    int gaveUp = 0;
    for (String worker : silent) {
      String error = "the worker running this task (" + worker + ") stopped without finishing it: no heartbeat for "
          + timeout.toSeconds() + " s (killed, crashed, halted or cut off)";
      String aheadError = "claimed ahead by a worker (" + worker + ") that stopped sending heartbeats before it could"
          + " confirm the run; the attempt is given back";
      int[] counts = database.inTransaction(session -> {
        WorkerMapper mapper = session.getMapper(WorkerMapper.class);
        if (mapper.removeIfSilent(worker, silentSince) != 1) {
          return null; // it beat in the meantime: alive
        }
        int ahead = mapper.releaseAheadClaimsOf(worker, aheadError);
        TaskMapper tasks = session.getMapper(TaskMapper.class);
        for (ClaimedTask task : mapper.exhaustedRepeatingOf(worker)) {
          nextRepetition.apply(task, now).ifPresent(next -> tasks.copyAsNextRepetition(task.id(), task.claimToken(), next, now));
        }
        int exhausted = mapper.copyExhaustedToCompleted(worker, error, now);
        mapper.deleteExhausted(worker);
        int back = mapper.releaseClaimsOf(worker, error, now);
        return new int[] {back + ahead, exhausted};
      });
      if (counts != null) {
        workers++;
        released += counts[0];
        gaveUp += counts[1];
      }
    }
    return new Reaped(workers, released, gaveUp);
  }

  /**
   * On a clean stop: gives back every claim {@code id} still holds, its attempt counted, then
   * removes the worker. Returns how many claims went back. The row stays if the release failed,
   * so the reaper still sees this worker die and frees what it held.
   */
  public int leave(String id, String why) {
    int released = database.inTransaction(WorkerMapper.class, mapper -> mapper.releaseLeftoverClaimsOf(id, why));
    database.inTransaction(WorkerMapper.class, mapper -> mapper.forgetIfIdle(id));
    return released;
  }
}
