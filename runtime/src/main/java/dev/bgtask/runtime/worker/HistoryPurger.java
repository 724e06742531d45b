package dev.bgtask.runtime.worker;

import dev.bgtask.runtime.AgentThreads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purges the history on a thread of its own, one purge at a time: deleting millions of old rows
 * takes a while, and the dispatcher must go on claiming meanwhile.
 */
final class HistoryPurger {

  private static final Logger log = LoggerFactory.getLogger(HistoryPurger.class);

  private final ExecutorService thread = Executors.newSingleThreadExecutor(AgentThreads.named("bgtask-history-purge"));
  private final AtomicBoolean busy = new AtomicBoolean();

  /** Starts {@code purge}, which returns how many rows it deleted, unless the previous one still runs. */
  void start(IntSupplier purge) {
    if (!busy.compareAndSet(false, true)) {
      return;
    }
    try {
      thread.execute(() -> run(purge));
    } catch (RejectedExecutionException stopped) {
      busy.set(false);
    }
  }

  private void run(IntSupplier purge) {
    try {
      int purged = purge.getAsInt();
      if (purged > 0) {
        log.debug("purged {} finished task(s)", purged);
      }
    } catch (RuntimeException e) {
      // The dispatcher reports an unreachable database; the next purge comes a minute later.
      log.debug("purging the history failed: {}", e.getMessage());
    } finally {
      busy.set(false);
    }
  }

  /** Interrupts a purge under way: it stops between two batches. */
  void stop() {
    thread.shutdownNow();
  }
}
