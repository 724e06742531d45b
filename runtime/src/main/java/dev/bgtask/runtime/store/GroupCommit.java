package dev.bgtask.runtime.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Writes that concurrent threads hand in, done together in one transaction: a thread that arrives
 * while a batch is being written waits for it, and the next batch then takes everyone who waited.
 * A thread alone writes at once, so this adds no latency; under load one commit serves many
 * callers, gathered for a moment after a batch of several ({@link #gatherCallersOfLastBatch}).
 * Every caller returns only once its own item is written (or the batch failed). Waiting callers
 * are parked and each is woken by itself: a {@code notifyAll} made them leave one by one through
 * the lock, and the 4-thread enqueue on PostgreSQL was ~14 % slower for it.
 *
 * @param <T> what one caller hands in
 * @param <R> what one caller gets back
 */
public final class GroupCommit<T, R> {

  /** The longest a writer waits for the callers of the last batch, however slow its writes. */
  private static final long MAX_GATHER_NANOS = 1_000_000;

  private final Function<List<T>, List<R>> writeBatch;
  private final int maxBatch;
  private List<Pending<T, R>> waiting = new ArrayList<>();
  private boolean writing;
  private Thread gatherer;
  private int gathering;
  private volatile int lastBatch;
  private volatile long lastWriteNanos;

  /** {@code writeBatch} writes the items in one transaction and returns one result per item, in order. */
  public GroupCommit(Function<List<T>, List<R>> writeBatch, int maxBatch) {
    this.writeBatch = writeBatch;
    this.maxBatch = maxBatch;
  }

  /** Writes {@code item} with whatever else is waiting; throws what writing the batch threw. */
  public R submit(T item) {
    Pending<T, R> mine = new Pending<>(item);
    List<Pending<T, R>> batch;
    boolean alone;
    synchronized (this) {
      alone = !writing && waiting.isEmpty() && lastBatch <= 1;
      if (alone) {
        writing = true;
      } else {
        waiting.add(mine);
        wakeGathererIfComplete();
      }
    }
    if (alone) {
      write(List.of(mine)); // the common case of a quiet application: one pass through the lock, nothing to gather
      return mine.result();
    }
    if (!awaitTurn(mine)) {
      return mine.result();
    }
    gatherCallersOfLastBatch();
    synchronized (this) {
      batch = takeBatchWith(mine);
      lastBatch = batch.size();
    }
    write(batch);
    return mine.result();
  }

  /**
   * The callers of the last batch were all released by one commit and tend to come back together:
   * waiting for as many as that batch held, at most half as long as its write took, lets one commit
   * serve them all again instead of this caller alone and the rest after it. A caller whose last
   * batch was its own goes at once.
   */
  private void gatherCallersOfLastBatch() {
    int expected = lastBatch;
    if (expected <= 1) {
      return;
    }
    long deadline = System.nanoTime() + Math.min(lastWriteNanos / 2, MAX_GATHER_NANOS);
    synchronized (this) {
      gatherer = Thread.currentThread();
      gathering = expected;
    }
    try {
      for (long left = deadline - System.nanoTime(); left > 0 && waitingCount() < expected; left = deadline - System.nanoTime()) {
        LockSupport.parkNanos(this, left);
      }
    } finally {
      synchronized (this) {
        gatherer = null;
      }
    }
  }

  /** A caller arriving while the writer gathers wakes it once the batch it waits for is complete. */
  private void wakeGathererIfComplete() {
    if (gatherer != null && waiting.size() >= gathering) {
      LockSupport.unpark(gatherer);
    }
  }

  private synchronized int waitingCount() {
    return waiting.size();
  }

  /**
   * Waits, uninterruptibly, until another thread's batch wrote this item (false) or no batch is
   * being written and this caller becomes the writer (true): an item handed in is written or
   * failed, never silently dropped by an interrupt.
   */
  private boolean awaitTurn(Pending<T, R> mine) {
    boolean interrupted = false;
    try {
      while (true) {
        synchronized (this) {
          if (mine.done) {
            return false;
          }
          if (!writing) {
            writing = true;
            return true;
          }
        }
        LockSupport.park(this);
        interrupted |= Thread.interrupted(); // else park returns at once, again and again
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** This caller's item and up to {@code maxBatch - 1} of the others, oldest first. */
  private List<Pending<T, R>> takeBatchWith(Pending<T, R> mine) {
    waiting.remove(mine);
    int others = Math.min(waiting.size(), maxBatch - 1);
    List<Pending<T, R>> batch = new ArrayList<>(others + 1);
    batch.add(mine);
    batch.addAll(waiting.subList(0, others));
    waiting = new ArrayList<>(waiting.subList(others, waiting.size()));
    return batch;
  }

  private void write(List<Pending<T, R>> batch) {
    long started = System.nanoTime();
    List<R> results = null;
    Throwable error = null;
    try {
      List<T> items = new ArrayList<>(batch.size());
      for (Pending<T, R> pending : batch) {
        items.add(pending.item);
      }
      results = writeBatch.apply(items);
    } catch (RuntimeException | Error e) {
      error = e;
    } finally {
      lastWriteNanos = System.nanoTime() - started;
      release(batch, results, error != null ? error : unusable(results, batch.size()));
    }
  }

  /** Why {@code results} cannot be handed out (a write that ended abruptly or miscounted), or null. */
  private static Throwable unusable(List<?> results, int items) {
    if (results == null) {
      return new IllegalStateException("the write ended abruptly");
    }
    return results.size() == items ? null
        : new IllegalStateException("the write returned " + results.size() + " results for " + items + " items");
  }

  /**
   * Hands each caller of the batch its result and ends this write; then, outside the lock, wakes
   * them and the first caller waiting for the next write, who becomes its writer. Woken one by one
   * rather than by a {@code notifyAll}, they need not take the lock in turn to leave.
   */
  private void release(List<Pending<T, R>> batch, List<R> results, Throwable error) {
    List<Thread> wake = new ArrayList<>(batch.size());
    synchronized (this) {
      for (int i = 0; i < batch.size(); i++) {
        Pending<T, R> pending = batch.get(i);
        pending.result = error != null ? null : results.get(i);
        pending.error = error;
        pending.done = true;
        wake.add(pending.caller);
      }
      writing = false;
      if (!waiting.isEmpty()) {
        wake.add(waiting.get(0).caller);
      }
    }
    Thread self = Thread.currentThread();
    for (Thread caller : wake) {
      if (caller != self) {
        LockSupport.unpark(caller);
      }
    }
  }

  private static final class Pending<T, R> {
    final T item;
    final Thread caller = Thread.currentThread();
    R result;
    Throwable error;
    boolean done;

    Pending(T item) {
      this.item = item;
    }

    R result() {
      if (error instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (error instanceof Error fatal) {
        throw fatal;
      }
      return result;
    }
  }
}
