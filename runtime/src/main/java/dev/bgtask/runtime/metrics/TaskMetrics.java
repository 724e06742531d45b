package dev.bgtask.runtime.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * What this JVM's tasks did since it started, by queue: the figures behind JMX, the Prometheus
 * text, the application's Micrometer registry and the per-minute statistics. Recording is a few
 * adder increments, cheap enough for every call and every run.
 */
public final class TaskMetrics {

  /** How a finished attempt ended. */
  public enum Outcome { SUCCEEDED, FAILED, GAVE_UP }

  private final Map<String, QueueMetrics> queues = new ConcurrentHashMap<>();
  private final LongAdder reapedWorkers = new LongAdder();
  private final Histogram claimTime = new Histogram(Histogram.ROUND_TRIP_BOUNDS);
  private final CopyOnWriteArrayList<Consumer<String>> newQueueListeners = new CopyOnWriteArrayList<>();
  private volatile IntSupplier threads = () -> 0;
  private volatile IntSupplier busyThreads = () -> 0;

  public void enqueued(String queue) {
    queue(queue).enqueued.increment();
  }

  /** An attempt starts, {@code waitSeconds} after its task became due. */
  public void started(String queue, double waitSeconds) {
    QueueMetrics metrics = queue(queue);
    metrics.started.increment();
    metrics.queueWait.record(waitSeconds);
  }

  /** An attempt ended after {@code runSeconds}; a given-up attempt counts as failed too. */
  public void finished(String queue, Outcome outcome, double runSeconds) {
    QueueMetrics metrics = queue(queue);
    metrics.runTime.record(runSeconds);
    switch (outcome) {
      case SUCCEEDED -> metrics.succeeded.increment();
      case FAILED -> metrics.failed.increment();
      case GAVE_UP -> {
        metrics.failed.increment();
        metrics.gaveUp.increment();
      }
    }
  }

  public void reaped(int workers) {
    reapedWorkers.add(workers);
  }

  /** A claim (one transaction, however many tasks it took) took {@code seconds}, from its first statement to its commit. */
  public void claimed(double seconds) {
    claimTime.record(seconds);
  }

  public Histogram claimTime() {
    return claimTime;
  }

  /** The figures of one queue, created on first use; listeners hear of each new queue once. */
  public QueueMetrics queue(String queue) {
    QueueMetrics existing = queues.get(queue);
    if (existing != null) {
      return existing;
    }
    QueueMetrics created = new QueueMetrics();
    QueueMetrics raced = queues.putIfAbsent(queue, created);
    if (raced != null) {
      return raced;
    }
    newQueueListeners.forEach(listener -> listener.accept(queue));
    return created;
  }

  /** Every queue seen so far, by name. */
  public Map<String, QueueMetrics> byQueue() {
    return Map.copyOf(queues);
  }

  /** Calls {@code listener} for every queue seen so far and for each one seen from now on. */
  public void onEveryQueue(Consumer<String> listener) {
    newQueueListeners.add(listener);
    queues.keySet().forEach(listener);
  }

  public long reapedWorkers() {
    return reapedWorkers.sum();
  }

  /** Where the worker-thread gauges read from, once this JVM's workers run. */
  public void readThreadsFrom(IntSupplier threads, IntSupplier busyThreads) {
    this.threads = threads;
    this.busyThreads = busyThreads;
  }

  public int threads() {
    return threads.getAsInt();
  }

  public int busyThreads() {
    return Math.min(threads(), busyThreads.getAsInt());
  }

  public int idleThreads() {
    return Math.max(0, threads() - busyThreads());
  }

  /** The name a metric shows for a queue: the default queue, named "", shows as {@code default}. */
  public static String label(String queue) {
    return queue.isEmpty() ? "default" : queue;
  }
}
