package dev.bgtask.runtime.worker;

import dev.bgtask.runtime.store.WorkerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On its own thread, so a busy dispatcher or slow tasks never make a live worker look dead: records
 * this JVM's heartbeat, and releases the tasks of workers that stopped beating.
 */
final class Heartbeat {

  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  private final WorkerRegistry registry;
  private final WorkerIdentity identity;
  private final Duration interval;
  private final Duration timeout;
  private final Clock clock;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread heartbeat = new Thread(task, "bgtask-heartbeat");
    heartbeat.setDaemon(true);
    return heartbeat;
  });

  Heartbeat(WorkerRegistry registry, WorkerIdentity identity, Duration interval, Duration timeout, Clock clock) {
    this.registry = registry;
    this.identity = identity;
    this.interval = interval;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** Records the first heartbeat now, before this JVM claims anything, then keeps beating. */
  void start() {
    beat();
    thread.scheduleWithFixedDelay(this::beatAndReap, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void beatAndReap() {
    try {
      beat();
      WorkerRegistry.Reaped reaped = registry.reapSilentFor(timeout, clock.instant());
      if (reaped.workers() > 0) {
        log.warn("{} worker(s) stopped sending heartbeats; {} of their task(s) will run again, {} used up their attempts",
            reaped.workers(), reaped.released(), reaped.gaveUp());
      }
    } catch (RuntimeException e) {
      log.warn("heartbeat failed ({}); trying again in {} ms", e.getMessage(), interval.toMillis());
    }
  }

  private void beat() {
    registry.beat(identity.toString(), identity.host(), identity.pid(), clock.instant());
  }

  void stop() {
    thread.shutdownNow();
    try {
      registry.forget(identity.toString());
    } catch (RuntimeException e) {
      log.debug("could not remove this worker's heartbeat row: {}", e.getMessage());
    }
  }
}
