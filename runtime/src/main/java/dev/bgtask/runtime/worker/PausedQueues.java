package dev.bgtask.runtime.worker;

import dev.bgtask.runtime.store.QueuePauses;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which queues this JVM's workers leave alone: those paused here ({@code BackgroundTasks.pause}),
 * and those paused in the database for every JVM (the dashboard), read again at most once a
 * second, so a busy dispatcher does not ask before every claim.
 */
final class PausedQueues {

  private static final long STORED_FRESH_NANOS = 1_000_000_000L;

  private final Optional<QueuePauses> stored;
  private final Set<String> here = ConcurrentHashMap.newKeySet();
  private volatile boolean all;
  private volatile Set<String> storedPaused = Set.of();
  private volatile long storedReadNanos;
  private volatile boolean storedRead;

  PausedQueues(Optional<QueuePauses> stored) {
    this.stored = stored;
  }

  /** Pauses (or resumes) every queue, or the named ones, in this JVM; resuming all lifts single pauses too. */
  void pauseHere(boolean paused, String... queueNames) {
    if (queueNames.length == 0) {
      all = paused;
      if (!paused) {
        here.clear();
      }
    } else if (paused) {
      here.addAll(List.of(queueNames));
    } else {
      here.removeAll(List.of(queueNames));
    }
  }

  /** True while every queue is paused in this JVM. */
  boolean all() {
    return all;
  }

  /** The queues paused now, here or for every JVM; reading the database's may throw when it is out of reach. */
  Set<String> current() {
    Set<String> paused = new HashSet<>(here);
    paused.addAll(stored());
    return paused;
  }

  boolean isPaused(String queue) {
    return all || here.contains(queue) || stored().contains(queue);
  }

  /** Whether {@code queue} is paused as far as this JVM knows now, without asking the database. */
  boolean isPausedAsKnown(String queue) {
    return all || here.contains(queue) || storedPaused.contains(queue);
  }

  private Set<String> stored() {
    if (stored.isEmpty()) {
      return Set.of();
    }
    long now = System.nanoTime();
    if (!storedRead || now - storedReadNanos > STORED_FRESH_NANOS) {
      storedPaused = stored.get().paused();
      storedReadNanos = now;
      storedRead = true;
    }
    return storedPaused;
  }
}
