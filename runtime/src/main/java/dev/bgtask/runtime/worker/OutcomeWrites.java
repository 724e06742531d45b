package dev.bgtask.runtime.worker;

import dev.bgtask.runtime.store.DatabaseUnavailableException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writing a run's outcome, retried while the database is unreachable. The claim is still this
 * worker's, so nobody else runs the task meanwhile; giving up instead would leave it claimed by a
 * live worker and never run again.
 */
final class OutcomeWrites {

  private static final Logger log = LoggerFactory.getLogger(OutcomeWrites.class);
  /** How long an outcome write is retried; past it the task stays claimed until this JVM stops. */
  private static final Duration PATIENCE = Duration.ofMinutes(10);

  private OutcomeWrites() {}

  /** Returns what {@code write} returned, once it did; {@code what} names the task(s) in the log. */
  static <T> T retried(String what, Supplier<T> write) {
    long backoff = 500;
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      try {
        return write.get();
      } catch (DatabaseUnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        log.warn("{}: cannot record its outcome yet ({}); trying again in {} ms", what, e.getMessage(), backoff);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }
}
