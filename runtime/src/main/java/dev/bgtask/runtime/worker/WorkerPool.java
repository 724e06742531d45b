package dev.bgtask.runtime.worker;

import dev.bgtask.runtime.schedule.RecurringScheduler;
import dev.bgtask.runtime.store.ClaimedTask;
import dev.bgtask.runtime.store.DatabaseUnavailableException;
import dev.bgtask.runtime.store.TaskStore;
import dev.bgtask.runtime.store.WorkerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This JVM's workers: one dispatcher thread claims as many due tasks as there are free worker
 * threads (more while tasks are short, {@link ClaimAhead}), and the worker threads run them. An
 * idle dispatcher sleeps until the next task is due, the poll interval passes, or a local enqueue
 * wakes it.
 */
public final class WorkerPool {

  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
  private static final Duration PURGE_EVERY = Duration.ofMinutes(1);
  private static final long MAX_OUTAGE_BACKOFF_MILLIS = 30_000;
  /** Schedules are checked at most this often, not on every claim round of a busy dispatcher. */
  private static final Duration SCHEDULE_CHECK_EVERY = Duration.ofMillis(100);

  private final TaskStore store;
  private final TaskRunner runner;
  private final RecurringScheduler schedules;
  private final Heartbeat heartbeat;
  private final java.util.function.Supplier<java.util.Set<String>> unloadable;
  private final WorkerIdentity identity;
  private final int threads;
  private final List<String> queues;
  private final Duration sleep;
  private final Optional<Duration> history;
  private final Clock clock;

  private final ClaimAhead claimAhead;
  private final AtomicInteger executing = new AtomicInteger();
  private final AtomicInteger heldThreads = new AtomicInteger();
  private final WakeSignal wake = new WakeSignal();
  private final Map<Long, ClaimedTask> running = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor executor;
  private final Thread dispatcher;
  private volatile boolean stopping;
  private volatile boolean pausedAll;
  private final java.util.Set<String> pausedQueues = ConcurrentHashMap.newKeySet();
  private Instant nextPurge = Instant.MIN;
  private Instant nextScheduleCheck = Instant.MIN;

  public WorkerPool(TaskStore store, TaskRunner runner, RecurringScheduler schedules, WorkerRegistry registry,
      WorkerIdentity identity, int threads, List<String> queues, Duration sleep, Optional<Duration> history,
      Duration heartbeatInterval, Duration workerTimeout, Clock clock, java.util.function.Supplier<java.util.Set<String>> unloadable) {
    this.unloadable = unloadable;
    this.heartbeat = new Heartbeat(registry, identity, heartbeatInterval, workerTimeout, clock);
    this.store = store;
    this.runner = runner;
    this.schedules = schedules;
    this.identity = identity;
    this.threads = threads;
    this.queues = queues;
    this.sleep = sleep;
    this.history = history;
    this.clock = clock;
    this.claimAhead = new ClaimAhead(threads);
    this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
        daemonThreads("bgtask-worker-"));
    this.dispatcher = daemonThreads("bgtask-dispatcher").newThread(this::dispatch);
  }

  public void start() {
    heartbeat.start();
    dispatcher.start();
  }

  /**
   * Stops (or resumes) claiming at once, for every queue or the named ones; running tasks finish.
   * Resuming every queue also lifts the pauses of single queues.
   */
  public void pause(boolean paused, String... queueNames) {
    if (queueNames.length == 0) {
      pausedAll = paused;
      if (!paused) {
        pausedQueues.clear();
      }
    } else if (paused) {
      pausedQueues.addAll(List.of(queueNames));
    } else {
      pausedQueues.removeAll(List.of(queueNames));
    }
    wake.signal();
  }

  /** A task was stored or finished: look for work now instead of at the next poll. */
  public void wake() {
    wake.signal();
  }

  public int threads() {
    return threads;
  }

  private void dispatch() {
    long outageBackoff = 0;
    while (!stopping) {
      try {
        purgeHistoryWhenDue();
        fireSchedulesWhenDue();
        int wanted = wanted();
        if (wanted == 0 || pausedAll) {
          wake.await(sleep.toMillis());
          continue;
        }
        List<ClaimedTask> claimed = store.claim(wanted, queues, java.util.Set.copyOf(pausedQueues), unloadable.get(),
            identity.toString(), clock.instant());
        if (outageBackoff > 0) {
          log.info("the task database is reachable again");
          outageBackoff = 0;
        }
        claimed.forEach(this::submit);
        if (claimed.size() < wanted) {
          wake.await(idleWaitMillis());
        }
      } catch (DatabaseUnavailableException e) {
        outageBackoff = outageBackoff == 0 ? 1_000 : Math.min(outageBackoff * 2, MAX_OUTAGE_BACKOFF_MILLIS);
        log.warn("cannot reach the task database ({}); trying again in {} s", e.getMessage(), outageBackoff / 1000);
        sleepQuietly(outageBackoff);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.error("worker dispatcher error; continuing", e);
        sleepQuietly(1_000);
      }
    }
  }

  /**
   * How many tasks to claim now: none while every thread is busy; otherwise what fits beside the
   * tasks held, but tasks already waiting here first drain to half of what may be held, so a
   * busy dispatcher claims in few, large rounds.
   */
  private int wanted() {
    int mayHold = threads + claimAhead.extra();
    int held = running.size() + heldThreads.get();
    int room = mayHold - held;
    int busy = executing.get();
    if (busy >= threads || room <= 0) {
      return 0;
    }
    boolean nothingWaiting = held <= busy;
    return nothingWaiting || room >= mayHold / 2 ? room : 0;
  }

  /**
   * Holds a free thread for a task this JVM is about to store, when these workers would claim it
   * at once anyway: they run, serve its queue, are not paused, have a thread with nothing waiting
   * for it, and the task is due now.
   */
  public Optional<HeldThread> holdThreadFor(String queueName, Instant dueAt) {
    if (stopping || pausedAll || pausedQueues.contains(queueName) || (!queues.isEmpty() && !queues.contains(queueName))
        || dueAt.isAfter(clock.instant())) {
      return Optional.empty();
    }
    int held;
    do {
      held = heldThreads.get();
      if (running.size() + held >= threads) {
        return Optional.empty();
      }
    } while (!heldThreads.compareAndSet(held, held + 1));
    return Optional.of(new HeldThread(identity.toString(), this::startHeld, heldThreads::decrementAndGet));
  }

  private void startHeld(ClaimedTask task) {
    try {
      submit(task);
    } catch (java.util.concurrent.RejectedExecutionException stopped) {
      running.remove(task.id());
      giveBack(task, "was stored as these workers stopped"); // the call that stored it succeeded: nothing here may fail it
    } finally {
      heldThreads.decrementAndGet();
    }
  }

  /**
   * Hands back the claim of a task this pool will not run; false when that failed, and the claim
   * then stays until this worker is reaped.
   */
  private boolean giveBack(ClaimedTask task, String why) {
    try {
      if (store.release(task)) {
        log.info("{} {}; released for another worker", task, why);
      }
      return true;
    } catch (RuntimeException e) {
      log.warn("{} {} and could not be released ({}); it runs once this worker is reaped", task, why, e.getMessage());
      return false;
    }
  }

  private long idleWaitMillis() {
    long wait = sleep.toMillis();
    Optional<Instant> purge = history.isPresent() ? Optional.of(nextPurge) : Optional.empty();
    for (Optional<Instant> next : List.of(store.nextDueAt(queues), schedules.nextFireAt(), purge)) {
      if (next.isPresent()) {
        long untilDue = Duration.between(clock.instant(), next.get()).toMillis();
        wait = Math.min(wait, Math.max(untilDue, 10));
      }
    }
    return wait;
  }

  private void submit(ClaimedTask task) {
    running.put(task.id(), task);
    executor.execute(() -> {
      executing.incrementAndGet();
      long began = System.nanoTime();
      try {
        runner.run(task);
      } catch (RuntimeException e) {
        log.error("{}: its outcome could not be recorded; it runs again once its claim is released", task, e);
      } finally {
        claimAhead.ran(System.nanoTime() - began);
        running.remove(task.id());
        executing.decrementAndGet();
        wake.signal();
      }
    });
  }

  private void fireSchedulesWhenDue() {
    Instant now = clock.instant();
    if (!now.isBefore(nextScheduleCheck)) {
      nextScheduleCheck = now.plus(SCHEDULE_CHECK_EVERY);
      schedules.fireDue(now);
    }
  }

  private void purgeHistoryWhenDue() {
    Instant now = clock.instant();
    if (history.isEmpty() || now.isBefore(nextPurge)) {
      return;
    }
    // Half the retention when that is shorter than a minute, so nothing outlives it by much.
    Duration every = history.get().dividedBy(2).compareTo(PURGE_EVERY) < 0 ? history.get().dividedBy(2) : PURGE_EVERY;
    nextPurge = now.plus(every);
    int purged = store.purgeCompletedBefore(now.minus(history.get()));
    if (purged > 0) {
      log.debug("purged {} finished task(s) older than {}", purged, history.get());
    }
  }

  /**
   * Stops claiming, lets running tasks finish for up to {@code grace}, then gives back the claims
   * of those still running so another worker takes them without waiting for a lease to expire.
   */
  public void stop(Duration grace) {
    // No interrupts: an interrupted thread inside the embedded H2 can close its file under everyone.
    stopping = true;
    wake.signal();
    try {
      dispatcher.join(grace.toMillis());
      executor.getQueue().clear(); // claimed ahead and not started: released below, for other workers
      executor.shutdown();
      executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
      runner.stop(grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    running.values().removeIf(unfinished -> giveBack(unfinished, "had not finished at shutdown"));
    if (running.isEmpty()) {
      // With claims still held (a release failed) the row must stay, so others see this worker die.
      heartbeat.stop();
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix.endsWith("-") ? prefix + count.incrementAndGet() : prefix);
      thread.setDaemon(true);
      return thread;
    };
  }
}
