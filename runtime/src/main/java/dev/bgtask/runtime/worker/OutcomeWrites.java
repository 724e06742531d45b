package dev.bgtask.runtime.worker;

import dev.bgtask.runtime.store.DatabaseUnavailableException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writing a run's outcome, retried while the database is unreachable, until the workers stop. The
 * claim is still this worker's, so nobody else runs the task meanwhile; giving up instead would
 * leave it claimed by a live worker and never run again. A statement the database refuses for
 * what it says is not retried: sent again it would fail again.
 */
final class OutcomeWrites {

  private static final Logger log = LoggerFactory.getLogger(OutcomeWrites.class);

  private final BooleanSupplier stopping;

  /** {@code stopping}: once true, an outage ends the retries and the claim is left to the stop or the reaper. */
  OutcomeWrites(BooleanSupplier stopping) {
    this.stopping = stopping;
  }

  /** Returns what {@code write} returned, once it did; {@code what} names the task(s) in the log. */
  <T> T retried(String what, Supplier<T> write) {
    long backoff = 500;
    while (true) {
      try {
        return write.get();
      } catch (DatabaseUnavailableException e) {
        if (e.isRefusal() || stopping.getAsBoolean()) {
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
