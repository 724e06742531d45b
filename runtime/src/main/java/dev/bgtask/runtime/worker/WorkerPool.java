package dev.bgtask.runtime.worker;

import dev.bgtask.runtime.AgentThreads;
import dev.bgtask.runtime.FatalErrors;
import dev.bgtask.runtime.metrics.MinuteStatsWriter;
import dev.bgtask.runtime.metrics.TaskMetrics;
import dev.bgtask.runtime.store.QueuePauses;
import dev.bgtask.runtime.store.TaskStatsStore;
import dev.bgtask.runtime.schedule.RecurringScheduler;
import dev.bgtask.runtime.store.ClaimedTask;
import dev.bgtask.runtime.store.DatabaseUnavailableException;
import dev.bgtask.runtime.store.TaskStore;
import dev.bgtask.runtime.store.WorkerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * This JVM's workers: one dispatcher thread claims as many due tasks as there are free worker
 * threads (more while tasks are short, {@link ClaimAhead}), and the worker threads run them. An
 * idle dispatcher sleeps until the next task is due, the poll interval passes, or a local enqueue
 * wakes it. While the {@link WorkerLease} is lost it claims nothing and starts nothing.
 */
public final class WorkerPool implements WorkerLease.Holder {

  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
  private static final Duration PURGE_EVERY = Duration.ofMinutes(1);
  private static final long MAX_OUTAGE_BACKOFF_MILLIS = 30_000;
  /** Schedules are checked at most this often, not on every claim round of a busy dispatcher. */
  private static final Duration SCHEDULE_CHECK_EVERY = Duration.ofMillis(100);
  /** After the grace period, how long interrupted bodies get to end and have their outcomes recorded. */
  private static final Duration AFTER_INTERRUPT = Duration.ofSeconds(2);
  /** How often the per-minute statistics are written. */
  private static final Duration STATS_EVERY = Duration.ofSeconds(10);

  private final TaskStore store;
  private final TaskRunner runner;
  private final RecurringScheduler schedules;
  private final WorkerRegistry registry;
  private final WorkerLease lease;
  private final Heartbeat heartbeat;
  private final Supplier<Set<String>> unloadable;
  private final int threads;
  private final List<String> queues;
  private final Duration sleep;
  private final Optional<Duration> history;
  private final Clock clock;

  private final TaskMetrics metrics;
  private final PausedQueues paused;
  private final Optional<MinuteStatsWriter> stats;
  private final ScheduledExecutorService housekeeping;
  private volatile long dispatcherLoopNanos = System.nanoTime();
  private final ClaimAhead claimAhead;
  private final AtomicInteger executing = new AtomicInteger();
  private final AtomicInteger heldThreads = new AtomicInteger();
  private final WakeSignal wake = new WakeSignal();
  private final Map<Long, ClaimedTask> running = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor executor;
  private final Thread dispatcher;
  private volatile boolean stopping;
  private volatile boolean onHold;
  private Instant nextPurge = Instant.MIN;
  private final HistoryPurger purger = new HistoryPurger();
  private volatile boolean drainingBacklog;
  private Instant nextScheduleCheck = Instant.MIN;
  private final Duration heartbeatEvery;
  private long nextStatsWrite = System.nanoTime();

  public WorkerPool(TaskStore store, TaskRunner runner, RecurringScheduler schedules, WorkerRegistry registry,
      WorkerIdentity identity, int threads, List<String> queues, Duration sleep, Optional<Duration> history,
      Duration heartbeatInterval, Duration workerTimeout, Clock clock, Supplier<Set<String>> unloadable) {
    this(store, runner, schedules, registry, identity, threads, queues, sleep, history, heartbeatInterval, workerTimeout, clock,
        unloadable, new TaskMetrics(), Optional.empty(), Optional.empty());
  }

  /**
   * {@code metrics}: where this pool's busy threads and reaped workers are counted;
   * {@code pauses}: queues paused for every JVM, which it leaves alone too; {@code stats}: where
   * its per-minute statistics are written.
   */
  public WorkerPool(TaskStore store, TaskRunner runner, RecurringScheduler schedules, WorkerRegistry registry,
      WorkerIdentity identity, int threads, List<String> queues, Duration sleep, Optional<Duration> history,
      Duration heartbeatInterval, Duration workerTimeout, Clock clock, Supplier<Set<String>> unloadable,
      TaskMetrics metrics, Optional<QueuePauses> pauses, Optional<TaskStatsStore> stats) {
    this.unloadable = unloadable;
    this.registry = registry;
    this.metrics = metrics;
    this.paused = new PausedQueues(pauses);
    this.lease = new WorkerLease(identity, workerTimeout);
    this.heartbeat = new Heartbeat(registry, lease, heartbeatInterval, workerTimeout, clock, threads, queues, metrics);
    this.stats = stats.map(statsStore -> new MinuteStatsWriter(metrics, statsStore, clock, this::worker));
    this.housekeeping = Executors.newSingleThreadScheduledExecutor(AgentThreads.named("bgtask-housekeeping"));
    this.heartbeatEvery = heartbeatInterval;
    this.store = store;
    this.runner = runner;
    this.schedules = schedules;
    this.threads = threads;
    this.queues = queues;
    this.sleep = sleep;
    this.history = history;
    this.clock = clock;
    this.claimAhead = new ClaimAhead(threads);
    this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
        AgentThreads.named("bgtask-worker-"));
    this.dispatcher = AgentThreads.newThread(this::dispatch, "bgtask-dispatcher");
    lease.heldBy(this);
    metrics.readThreadsFrom(() -> threads, executing::get);
  }

  public void start() {
    heartbeat.start();
    dispatcher.start();
    housekeeping.scheduleWithFixedDelay(this::housekeep, heartbeatEvery.toMillis(), heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** What the health check reports of these workers. */
  public record Status(int threads, int busy, boolean leaseHeld, long heartbeatAgeMillis, long dispatcherIdleMillis,
      boolean stopping, Duration sleep) {}

  public Status status() {
    return new Status(threads, executing.get(), !lease.isLost(), lease.unconfirmedMillis(),
        (System.nanoTime() - dispatcherLoopNanos) / 1_000_000, stopping, sleep);
  }

  /**
   * Apart from the heartbeat and the dispatcher: cancels the bodies whose tasks someone asked to
   * cancel, and writes the per-minute statistics every few seconds.
   */
  private void housekeep() {
    try {
      if (!running.isEmpty() && !lease.isLost()) {
        for (long id : store.cancelRequested(List.copyOf(running.keySet()))) {
          if (runner.cancel(id, "cancelled while running: the attempt was interrupted and the task is not retried")) {
            log.info("task {} was cancelled; its body was interrupted", id);
          }
        }
      }
      if (stats.isPresent() && System.nanoTime() - nextStatsWrite >= 0) {
        nextStatsWrite = System.nanoTime() + STATS_EVERY.toNanos();
        stats.get().write();
      }
    } catch (RuntimeException e) {
      log.debug("housekeeping failed, trying again in {} ms: {}", heartbeatEvery.toMillis(), e.getMessage());
    }
  }

  /**
   * Stops (or resumes) claiming at once, for every queue or the named ones; running tasks finish.
   * Resuming every queue also lifts the pauses of single queues.
   */
  public void pause(boolean pause, String... queueNames) {
    paused.pauseHere(pause, queueNames);
    wake.signal();
  }

  /**
   * Holds these workers, or lets them work again. Held, they claim nothing and start no task a
   * call would hand them; what they claimed ahead and not started goes back, and the tasks they
   * run get up to {@code grace} to finish before they are interrupted (each attempt then recorded
   * as failed). For an application that closes before its JVM exits, and one that is not ready yet.
   */
  public void hold(boolean hold, Duration grace) {
    onHold = hold;
    wake.signal();
    if (hold) {
      giveBackNotStarted("was not started: the application stopped its workers");
      awaitRunningTasks(grace, "interrupted: the application stopped its workers and the task had not finished within the"
          + " grace period (" + grace.toMillis() + " ms, shutdownGrace)");
    }
  }

  private void giveBackNotStarted(String why) {
    List<Runnable> notStarted = new ArrayList<>();
    executor.getQueue().drainTo(notStarted);
    for (Runnable queued : notStarted) {
      ClaimedTask task = ((TaskRun) queued).task;
      running.remove(task.id());
      giveBack(task, why);
    }
  }

  /** Waits for the running tasks to end, for up to {@code grace}; then interrupts them and waits a little more. */
  private void awaitRunningTasks(Duration grace, String why) {
    try {
      long deadline = System.nanoTime() + grace.toNanos();
      while (executing.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      if (executing.get() > 0) {
        log.warn("{} task(s) still running after the {} ms grace period were interrupted", runner.stopRunningBodies(why), grace.toMillis());
        long after = System.nanoTime() + AFTER_INTERRUPT.toNanos();
        while (executing.get() > 0 && System.nanoTime() < after) {
          Thread.sleep(20);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A task was stored or finished: look for work now instead of at the next poll. */
  public void wake() {
    wake.signal();
  }

  /** Whether the history purge holds back now: the last claim got all it asked for, so more tasks wait. */
  boolean drainingBacklog() {
    return drainingBacklog;
  }

  public int threads() {
    return threads;
  }

  /** The worker this JVM's claims are made for now. */
  public String worker() {
    return lease.identity().toString();
  }

  private void dispatch() {
    long outageBackoff = 0;
    while (!stopping) {
      dispatcherLoopNanos = System.nanoTime();
      try {
        purgeHistoryWhenDue();
        fireSchedulesWhenDue();
        Claimable claimable = claimable();
        if (claimable.none() || paused.all() || onHold || lease.isLost()) {
          wake.await(sleep.toMillis());
          continue;
        }
        List<ClaimedTask> claimed = claim(claimable);
        boolean gotAllAskedFor = claimed.size() == claimable.total();
        drainingBacklog = gotAllAskedFor;
        if (outageBackoff > 0) {
          log.info("the task database is reachable again");
          outageBackoff = 0;
        }
        if (!gotAllAskedFor) {
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

  /** How many tasks to claim for the free threads, and how many beyond them. */
  private record Claimable(int now, int ahead) {
    int total() {
      return now + ahead;
    }

    boolean none() {
      return total() == 0;
    }
  }

  /**
   * How many tasks to claim now: none while every thread is busy; otherwise what fits beside the
   * tasks held, but tasks already waiting here first drain to half of what may be held, so a
   * busy dispatcher claims in few, large rounds. What goes beyond the free threads is claimed
   * ahead, marked as such.
   */
  private Claimable claimable() {
    int mayHold = threads + claimAhead.extra();
    int held = running.size() + heldThreads.get();
    int room = mayHold - held;
    int busy = executing.get();
    if (busy >= threads || room <= 0) {
      return new Claimable(0, 0);
    }
    boolean nothingWaiting = held <= busy;
    if (!nothingWaiting && room < mayHold / 2) {
      return new Claimable(0, 0);
    }
    int free = Math.max(0, Math.min(room, threads - held));
    return new Claimable(free, room - free);
  }

  /**
   * Claims for the free threads, starts those tasks, then claims ahead: the threads need not wait
   * for the second round trip.
   */
  private List<ClaimedTask> claim(Claimable claimable) {
    String worker = worker();
    List<ClaimedTask> claimed = new ArrayList<>();
    Set<String> pausedNow = paused.current();
    if (claimable.now() > 0) {
      claimed.addAll(startOrGiveBack(timedClaim(claimable.now(), pausedNow, worker, false), worker));
    }
    if (claimable.ahead() > 0 && stillWorksAs(worker)) {
      claimed.addAll(startOrGiveBack(timedClaim(claimable.ahead(), pausedNow, worker, true), worker));
    }
    return claimed;
  }

  private List<ClaimedTask> startOrGiveBack(List<ClaimedTask> claimed, String worker) {
    if (stillWorksAs(worker)) {
      claimed.forEach(this::submit);
    } else {
      // The lease went while the claim was under way: none of it may start here.
      claimed.forEach(task -> giveBack(task, "was claimed as this worker lost its lease"));
    }
    return claimed;
  }

  private boolean stillWorksAs(String worker) {
    return !lease.isLost() && worker.equals(worker());
  }

  private List<ClaimedTask> timedClaim(int limit, Set<String> pausedNow, String worker, boolean ahead) {
    long start = System.nanoTime();
    List<ClaimedTask> claimed = store.claim(limit, queues, pausedNow, unloadable.get(), worker, clock.instant(), ahead);
    metrics.claimed((System.nanoTime() - start) / 1e9);
    return claimed;
  }

  /**
   * Holds a free thread for a task this JVM is about to store, when these workers would claim it
   * at once anyway: they run, hold their lease, serve its queue, are not paused, have a thread
   * with nothing waiting for it, and the task is due now.
   */
  public Optional<HeldThread> holdThreadFor(String queueName, Instant dueAt) {
    if (stopping || onHold || lease.isLost() || (!queues.isEmpty() && !queues.contains(queueName)) || dueAt.isAfter(clock.instant())
        || pausedOrUnknown(queueName)) {
      return Optional.empty();
    }
    int held;
    do {
      held = heldThreads.get();
      if (running.size() + held >= threads) {
        return Optional.empty();
      }
    } while (!heldThreads.compareAndSet(held, held + 1));
    return Optional.of(new HeldThread(worker(), this::startHeld, heldThreads::decrementAndGet));
  }

  /** Whether {@code queue} is paused; when the database cannot say, the call stores its task without starting it here. */
  private boolean pausedOrUnknown(String queue) {
    try {
      return paused.isPaused(queue);
    } catch (RuntimeException e) {
      return true;
    }
  }

  private void startHeld(ClaimedTask task) {
    try {
      if (lease.isLost() || !task.claimedByOrUnknown().equals(worker())) {
        giveBack(task, "was stored as this worker lost its lease");
        return;
      }
      submit(task);
    } catch (java.util.concurrent.RejectedExecutionException stopped) {
      running.remove(task.id());
      giveBack(task, "was stored as these workers stopped"); // the call that stored it succeeded: nothing here may fail it
    } finally {
      heldThreads.decrementAndGet();
    }
  }

  /**
   * Hands back, uncounted, the claim of a task this pool will not run; false when that failed, and
   * the claim then stays until this worker is reaped.
   */
  private boolean giveBack(ClaimedTask task, String why) {
    return giveBack(task, why, Level.INFO);
  }

  private boolean giveBack(ClaimedTask task, String why, Level level) {
    try {
      if (store.release(task)) {
        log.atLevel(level).log("{} {}; released for another worker", task, why);
      }
      return true;
    } catch (RuntimeException e) {
      log.warn("{} {} and could not be released ({}); it runs once this worker is reaped", task, why, e.getMessage());
      return false;
    }
  }

  /** A run whose outcome could not be recorded: its claim goes back with the attempt counted, or stays for the stop or the reaper. */
  private boolean giveBackCounted(ClaimedTask task, String why) {
    try {
      if (store.releaseCounted(task, why, clock.instant())) {
        log.warn("{}: {}; released for another attempt", task, why);
      }
      return true;
    } catch (RuntimeException e) {
      log.error("{}: {}, and its claim could not be released ({}); it runs again once this worker is reaped",
          task, why, e.getMessage());
      return false;
    }
  }

  private long idleWaitMillis() {
    long wait = sleep.toMillis();
    Optional<Instant> purge = history.isPresent() ? Optional.of(nextPurge) : Optional.empty();
    Optional<Instant> nextDue = store.nextDueAt(queues, paused.current(), unloadable.get());
    for (Optional<Instant> next : List.of(nextDue, schedules.nextFireAt(), purge)) {
      if (next.isPresent()) {
        long untilDue = Duration.between(clock.instant(), next.get()).toMillis();
        wait = Math.min(wait, Math.max(untilDue, 10));
      }
    }
    return wait;
  }

  private void submit(ClaimedTask task) {
    running.put(task.id(), task);
    executor.execute(new TaskRun(task));
  }

  private record NotStarted(String why, Level level) {
  }

  /** One claimed task on its way to a worker thread. */
  private final class TaskRun implements Runnable {
    final ClaimedTask task;

    TaskRun(ClaimedTask task) {
      this.task = task;
    }

    /**
     * Why this task, claimed ahead or by a claim that began before a pause, may not start now.
     * Checked as it starts, so a queue paused after the claim round read the pauses still waits.
     */
    private Optional<NotStarted> whyNotStarted() {
      if (lease.isLost()) {
        return Optional.of(new NotStarted("was not started: this worker lost its lease", Level.INFO));
      }
      if (stopping) {
        return Optional.of(new NotStarted("was not started: the workers stop", Level.INFO));
      }
      if (paused.isPausedAsKnown(task.queueName())) {
        // A pause of every queue may send back dozens claimed ahead: not worth a line each.
        return Optional.of(new NotStarted("was not started: its queue is paused", Level.DEBUG));
      }
      return Optional.empty();
    }

    @Override
    public void run() {
      Optional<NotStarted> notStarted = whyNotStarted();
      if (notStarted.isPresent()) {
        running.remove(task.id());
        giveBack(task, notStarted.get().why(), notStarted.get().level());
        wake.signal(); // its place here is free for a task of another queue
        return;
      }
      executing.incrementAndGet();
      long began = System.nanoTime();
      try {
        runner.run(task);
      } catch (Throwable e) {
        giveBackCounted(task, "the outcome of this attempt could not be recorded: " + e);
        if (FatalErrors.isFatal(e)) {
          throw (VirtualMachineError) e;
        }
      } finally {
        claimAhead.ran(System.nanoTime() - began);
        running.remove(task.id());
        executing.decrementAndGet();
        wake.signal();
      }
    }
  }

  @Override
  public void leaseLost(String why) {
    List<Runnable> notStarted = new ArrayList<>();
    executor.getQueue().drainTo(notStarted);
    for (Runnable queued : notStarted) {
      // Left to whoever reaps this worker: the database may well be out of reach now.
      running.remove(((TaskRun) queued).task.id());
    }
    int interrupted = runner.stopRunningBodies("interrupted: " + why);
    log.warn("{} claimed task(s) not started are left to the reaper; {} running task(s) interrupted", notStarted.size(), interrupted);
    wake.signal();
  }

  @Override
  public void leaseRenewed(WorkerIdentity identity) {
    wake.signal();
  }

  private void fireSchedulesWhenDue() {
    Instant now = clock.instant();
    if (!now.isBefore(nextScheduleCheck)) {
      nextScheduleCheck = now.plus(SCHEDULE_CHECK_EVERY);
      try {
        schedules.fireDue(now);
      } catch (DatabaseUnavailableException e) {
        throw e;
      } catch (RuntimeException e) {
        // A schedule must never keep the workers from claiming.
        log.error("firing recurring schedules failed; claiming goes on", e);
      }
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
    Instant before = now.minus(history.get());
    purger.start(() -> store.purgeCompletedBefore(before, this::drainingBacklog));
  }

  /**
   * Stops claiming, gives back what was claimed and not started, lets running tasks finish for up
   * to {@code grace}, then interrupts those still running (each attempt is recorded as failed).
   * The claims of bodies that still run after that go back with their attempts counted, as does
   * any claim this JVM still holds in the database; then its worker rows go.
   */
  public void stop(Duration grace) {
    stopping = true;
    wake.signal();
    try {
      dispatcher.join(grace.toMillis());
      List<Runnable> notStarted = new ArrayList<>();
      executor.getQueue().drainTo(notStarted);
      for (Runnable queued : notStarted) {
        ClaimedTask task = ((TaskRun) queued).task;
        running.remove(task.id());
        giveBack(task, "had not started at shutdown");
      }
      executor.shutdown();
      if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        int interrupted = runner.stopRunningBodies("interrupted: the JVM stopped and the task had not finished within the"
            + " shutdown grace period (" + grace.toMillis() + " ms, shutdownGrace)");
        log.warn("{} task(s) still running after the {} ms shutdown grace period were interrupted", interrupted, grace.toMillis());
        executor.awaitTermination(AFTER_INTERRUPT.toMillis(), TimeUnit.MILLISECONDS);
      }
      runner.stop(grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    running.values().removeIf(unfinished -> giveBackCounted(unfinished, "its body was still running when its JVM stopped"));
    housekeeping.shutdown();
    purger.stop();
    stats.ifPresent(this::writeLastStats);
    heartbeat.stop();
    leave();
  }

  private void writeLastStats(MinuteStatsWriter writer) {
    try {
      housekeeping.awaitTermination(2, TimeUnit.SECONDS);
      writer.write();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.debug("could not write the last minute's statistics: {}", e.getMessage());
    }
  }

  /** Gives back whatever this JVM's identities still hold in the database and removes their rows. */
  private void leave() {
    try {
      store.releaseUncertainClaims();
    } catch (RuntimeException e) {
      log.warn("could not give back the claims whose commit was never confirmed ({})", e.getMessage());
    }
    for (WorkerIdentity identity : lease.identities()) {
      try {
        int leftover = registry.leave(identity.toString(), "given back by its worker (" + identity + ") as its JVM stopped");
        if (leftover > 0) {
          log.warn("{} claim(s) of worker {} were still held at shutdown and were given back", leftover, identity);
        }
      } catch (RuntimeException e) {
        log.warn("could not give back the claims of worker {} ({}); they run again once it is reaped", identity, e.getMessage());
      }
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
