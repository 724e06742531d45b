package dev.bgtask.runtime.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This JVM's lease on its claims: held while its heartbeats are confirmed by the database. Other
 * JVMs take a worker for dead once its heartbeat is {@code workerTimeout} old, by the database's
 * clock. So a worker that has not had a heartbeat confirmed for {@link #fenceAfter} of that, on
 * its own monotonic clock, lets go first: it stops claiming, starts nothing it claimed ahead and
 * interrupts its bodies, before anyone may reap it and run its tasks again. It does the same at
 * once when it learns its row was reaped (a pause its monotonic clock did not see: a suspended
 * VM). Once it reaches the database again it works on under a new identity; its old claims stay
 * fenced by their tokens.
 *
 * <p>The margin ({@code workerTimeout / 4}) tolerates this host's monotonic clock running up to a
 * quarter slower than the database's.
 */
final class WorkerLease {

  private static final Logger log = LoggerFactory.getLogger(WorkerLease.class);

  /** What the workers do when the lease is lost and when it is held again. */
  interface Holder {
    void leaseLost(String why);

    void leaseRenewed(WorkerIdentity identity);
  }

  private final Duration fenceAfter;
  private final List<WorkerIdentity> used = new ArrayList<>();
  private volatile WorkerIdentity identity;
  private volatile long confirmedNanos;
  private volatile boolean lost;
  private volatile Holder holder;

  WorkerLease(WorkerIdentity identity, Duration workerTimeout) {
    this.identity = identity;
    this.fenceAfter = workerTimeout.minus(workerTimeout.dividedBy(4));
    this.confirmedNanos = System.nanoTime();
    used.add(identity);
  }

  void heldBy(Holder holder) {
    this.holder = holder;
  }

  WorkerIdentity identity() {
    return identity;
  }

  /** Every identity this JVM has worked under, the current one last. */
  synchronized List<WorkerIdentity> identities() {
    return List.copyOf(used);
  }

  boolean isLost() {
    return lost;
  }

  Duration fenceAfter() {
    return fenceAfter;
  }

  /** How long ago the last heartbeat was confirmed, on this JVM's monotonic clock. */
  long unconfirmedMillis() {
    return (System.nanoTime() - confirmedNanos) / 1_000_000;
  }

  /** A heartbeat sent at {@code sentNanos} was written. */
  void confirmed(long sentNanos) {
    confirmedNanos = Math.max(confirmedNanos, sentNanos);
  }

  /** Lets go once no heartbeat has been confirmed for {@link #fenceAfter}; true when it just did. */
  boolean expireIfUnconfirmed() {
    long silentNanos = System.nanoTime() - confirmedNanos;
    if (lost || silentNanos < fenceAfter.toNanos()) {
      return false;
    }
    return lose("this worker (" + identity + ") could not confirm a heartbeat for " + Duration.ofNanos(silentNanos).toMillis()
        + " ms; before another JVM may take its tasks for those of a dead worker");
  }

  /** Lets go now: stop claiming, start nothing claimed ahead, interrupt the bodies. */
  synchronized boolean lose(String why) {
    if (lost) {
      return false;
    }
    lost = true;
    log.warn("{}, it stops claiming and interrupts its running tasks", why);
    Holder current = holder;
    if (current != null) {
      current.leaseLost(why);
    }
    return true;
  }

  /** Works on under {@code fresh}, registered at {@code sentNanos}. */
  synchronized void renewed(WorkerIdentity fresh, long sentNanos) {
    identity = fresh;
    used.add(fresh);
    confirmedNanos = sentNanos;
    lost = false;
    log.info("the task database confirms heartbeats again; this JVM works on as worker {}", fresh);
    Holder current = holder;
    if (current != null) {
      current.leaseRenewed(fresh);
    }
  }
}
