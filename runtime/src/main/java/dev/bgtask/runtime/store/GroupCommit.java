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
 * Every caller returns only once its own item is written (or the batch failed).
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
    synchronized (this) {
      waiting.add(mine);
      wakeGathererIfComplete();
      awaitTurn(mine);
      if (mine.done) {
        return mine.result();
      }
      writing = true;
    }
    gatherCallersOfLastBatch();
    synchronized (this) {
      batch = takeBatchWith(mine);
      lastBatch = batch.size();
    }
    long started = System.nanoTime();
    try {
      write(batch);
    } finally {
      lastWriteNanos = System.nanoTime() - started;
      synchronized (this) {
        writing = false;
        notifyAll();
      }
    }
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
   * Waits, uninterruptibly, until another thread's batch wrote this item or no batch is being
   * written: an item handed in is written or failed, never silently dropped by an interrupt.
   */
  private void awaitTurn(Pending<T, R> mine) {
    boolean interrupted = false;
    while (writing && !mine.done) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
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
    List<R> results;
    try {
      results = writeBatch.apply(batch.stream().map(pending -> pending.item).toList());
    } catch (RuntimeException | Error e) {
      finish(batch, null, e);
      return;
    }
    finish(batch, results, null);
  }

  private synchronized void finish(List<Pending<T, R>> batch, List<R> results, Throwable error) {
    for (int i = 0; i < batch.size(); i++) {
      Pending<T, R> pending = batch.get(i);
      pending.result = results == null ? null : results.get(i);
      pending.error = error;
      pending.done = true;
    }
    notifyAll();
  }

  private static final class Pending<T, R> {
    final T item;
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
