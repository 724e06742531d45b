package dev.bgtask.runtime.worker;

import dev.bgtask.runtime.AgentThreads;
import dev.bgtask.runtime.metrics.TaskMetrics;
import dev.bgtask.runtime.schedule.RepeatSchedule;
import dev.bgtask.runtime.store.WorkerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On threads of their own, so a busy dispatcher or slow tasks never make a live worker look dead:
 * records this JVM's heartbeat, reaps the workers that stopped beating, and watches this JVM's
 * {@link WorkerLease}. The watch runs apart from the beat, so a beat stuck on an unreachable
 * database cannot keep this JVM from letting go of its lease in time.
 */
final class Heartbeat {

  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  private final WorkerRegistry registry;
  private final WorkerLease lease;
  private final Duration interval;
  private final Duration timeout;
  private final Clock clock;
  private final int threads;
  private final String queues;
  private final TaskMetrics metrics;
  private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(AgentThreads.named("bgtask-heartbeat"));
  private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(AgentThreads.named("bgtask-lease"));

  /** {@code threads} and {@code queues}: what this JVM's worker row says of it, for the dashboard. */
  Heartbeat(WorkerRegistry registry, WorkerLease lease, Duration interval, Duration timeout, Clock clock, int threads,
      java.util.List<String> queues, TaskMetrics metrics) {
    this.threads = threads;
    this.queues = queues.isEmpty() ? null : String.join("|", queues);
    this.metrics = metrics;
    this.registry = registry;
    this.lease = lease;
    this.interval = interval;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** Registers this worker now, before it claims anything, then keeps beating and watching. */
  void start() {
    long sent = System.nanoTime();
    register(lease.identity());
    lease.confirmed(sent);
    beats.scheduleWithFixedDelay(this::beatAndReap, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    long every = Math.max(20, Math.min(interval.toMillis(), lease.fenceAfter().toMillis() / 8));
    watch.scheduleWithFixedDelay(this::watchLease, every, every, TimeUnit.MILLISECONDS);
  }

  private void beatAndReap() {
    long sent = System.nanoTime();
    try {
      if (lease.isLost()) {
        WorkerIdentity fresh = lease.identity().renewed();
        register(fresh);
        lease.renewed(fresh, sent);
      } else if (registry.beat(lease.identity().toString(), clock.instant())) {
        lease.confirmed(sent);
      } else {
        lease.lose("this worker's heartbeat row (" + lease.identity() + ") is gone: another JVM took it for dead and reaped it");
        return;
      }
      WorkerRegistry.Reaped reaped = registry.reapSilentFor(timeout, clock.instant(),
          (task, now) -> RepeatSchedule.next(task.repeatPeriod(), task.plannedFor(), task.repeatUntil(), now));
      if (reaped.workers() > 0) {
        metrics.reaped(reaped.workers());
        log.warn("{} worker(s) stopped sending heartbeats; {} of their task(s) will run again, {} used up their attempts",
            reaped.workers(), reaped.released(), reaped.gaveUp());
      }
    } catch (RuntimeException e) {
      log.warn("heartbeat failed ({}); trying again in {} ms", e.getMessage(), interval.toMillis());
    }
  }

  /** A periodic task that throws is never run again: this one must not. */
  private void watchLease() {
    try {
      lease.expireIfUnconfirmed();
    } catch (RuntimeException e) {
      log.error("watching this worker's lease failed; watching on", e);
    }
  }

  private void register(WorkerIdentity identity) {
    registry.register(identity.toString(), identity.host(), identity.pid(), clock.instant(), threads, queues);
  }

  /** Stops beating; the pool then gives back what this JVM holds and removes its rows. */
  void stop() {
    // No interrupts: an interrupted thread inside the embedded H2 can close its file under everyone.
    beats.shutdown();
    watch.shutdown();
    try {
      beats.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
