package dev.bgtask.runtime.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Where in the claim index the last full claim of each set of queues ended, so that the next claim
 * reads on from there. Read from the head, the claim index first yields the entries of the rows
 * claimed before, which MariaDB's InnoDB keeps, delete-marked, until its purge catches up: while a
 * backlog drains that walk is most of a claim's time.
 *
 * <p>A row that comes to sort before the position (given back after its lease, retried earlier, or
 * stored with a higher priority mid-backlog) waits for the next claim from the head: one whenever a
 * claim comes back short, one at once when a claim from the position finds nothing, and one at
 * least every {@link #HEAD_EVERY} at first. A reread from the head walks the same dead entries, so
 * each that finds no row before the position doubles that wait, up to {@link #HEAD_EVERY_AT_MOST};
 * one that finds such a row sets it back.
 */
final class ClaimPositions {

  static final Duration HEAD_EVERY = Duration.ofMillis(250);
  static final Duration HEAD_EVERY_AT_MOST = Duration.ofSeconds(2);

  /** The claiming-order key of the last row a claim took. */
  record Position(int priority, Instant dueAt, long id) {
    static Position of(ClaimedTask task) {
      return new Position(task.priority(), task.dueAt(), task.id());
    }

    boolean sortsBefore(Position other, boolean ascendingPriority) {
      if (priority != other.priority) {
        return ascendingPriority ? priority < other.priority : priority > other.priority;
      }
      int due = dueAt.compareTo(other.dueAt);
      return due != 0 ? due < 0 : id < other.id;
    }
  }

  /** What a position holds for, beside the queues: the same paused queues and unloadable classes left out. */
  private record Shape(Set<String> paused, Set<String> unloadable) {
    static Shape of(ClaimQuery query) {
      return new Shape(Set.copyOf(query.paused()), Set.copyOf(query.unloadable()));
    }
  }

  private record Held(Shape shape, Position after, long headReadAt, long headEveryNanos) {
  }

  private final Map<List<String>, Held> byQueues = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;

  ClaimPositions(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** The position {@code query} may read on from, or null when it reads from the head. */
  Position startFor(ClaimQuery query) {
    Held held = byQueues.get(query.queues());
    if (!holdsPosition(held, Shape.of(query)) || nanoTime.getAsLong() - held.headReadAt() >= held.headEveryNanos()) {
      return null;
    }
    return held.after();
  }

  /**
   * Records a committed claim that read from {@code start} (null: from the head) and took
   * {@code claimed}, in claiming order: a full claim leaves its last row as the next one's start,
   * a short one sends the next to the head.
   */
  void claimed(ClaimQuery query, Position start, List<ClaimedTask> claimed) {
    Held held = byQueues.get(query.queues());
    Shape shape = Shape.of(query);
    boolean fromHead = start == null || held == null;
    long headReadAt = fromHead ? nanoTime.getAsLong() : held.headReadAt();
    long headEvery = fromHead ? nextHeadEvery(held, shape, query, claimed) : held.headEveryNanos();
    Position after = claimed.size() == query.limit() ? Position.of(claimed.get(claimed.size() - 1)) : null;
    byQueues.put(List.copyOf(query.queues()), new Held(shape, after, headReadAt, headEvery));
  }

  private static boolean holdsPosition(Held held, Shape shape) {
    return held != null && held.after() != null && held.shape().equals(shape);
  }

  /**
   * How long until the next read from the head, after one that took {@code claimed}. A claim ahead
   * leaves out rows reaped from dead workers, so finding nothing before the position tells it
   * nothing about those.
   */
  private static long nextHeadEvery(Held held, Shape shape, ClaimQuery query, List<ClaimedTask> claimed) {
    if (!holdsPosition(held, shape)
        || (!claimed.isEmpty() && Position.of(claimed.get(0)).sortsBefore(held.after(), query.ascendingPriority()))) {
      return HEAD_EVERY.toNanos();
    }
    return query.ahead() ? held.headEveryNanos() : Math.min(2 * held.headEveryNanos(), HEAD_EVERY_AT_MOST.toNanos());
  }
}
