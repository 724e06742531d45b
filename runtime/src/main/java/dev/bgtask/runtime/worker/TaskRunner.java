package dev.bgtask.runtime.worker;

import dev.bgtask.TaskEvent;
import dev.bgtask.runtime.ApplicationCode;
import dev.bgtask.runtime.codec.ArgumentCodec;
import dev.bgtask.runtime.event.Listeners;
import dev.bgtask.runtime.codec.ArgumentMismatchException;
import dev.bgtask.runtime.metrics.TaskMetrics;
import dev.bgtask.runtime.schedule.BackoffPolicy;
import dev.bgtask.runtime.schedule.RepeatSchedule;
import dev.bgtask.runtime.store.ClaimedTask;
import dev.bgtask.runtime.store.DatabaseUnavailableException;
import dev.bgtask.runtime.store.TaskStore;
import dev.bgtask.runtime.task.TaskMethod;
import dev.bgtask.runtime.task.TaskMethodException;
import dev.bgtask.runtime.task.TaskMethods;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one claimed task's original body and records what happened, fenced by the claim token. */
public final class TaskRunner {

  private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

  private final TaskMethods methods;
  private final ArgumentCodec codec;
  private final TaskStore store;
  private final Receivers instances;
  private final BackoffPolicy backoff;
  private final boolean keepHistory;
  private final Clock clock;
  private final Listeners listeners;
  private final Duration maxRunTime;
  private final RunningBodies bodies = new RunningBodies();
  private volatile boolean stopping;
  private final OutcomeWrites writes = new OutcomeWrites(() -> stopping);
  private final SuccessRecorder successes;
  private final TaskMetrics metrics;

  /** One attempt of a task on this worker thread: what its outcome is recorded and reported for. */
  private record Attempt(ClaimedTask task, TaskEvent event, long beganNanos) {
    double seconds() {
      return (System.nanoTime() - beganNanos) / 1e9;
    }
  }

  public TaskRunner(TaskMethods methods, ArgumentCodec codec, TaskStore store, Receivers instances,
      BackoffPolicy backoff, boolean keepHistory, Clock clock) {
    this(methods, codec, store, instances, backoff, keepHistory, clock, new Listeners(), Duration.ZERO);
  }

  /** {@code maxRunTime}: the global limit of one attempt (zero: none), unless a task has its own. */
  public TaskRunner(TaskMethods methods, ArgumentCodec codec, TaskStore store, Receivers instances,
      BackoffPolicy backoff, boolean keepHistory, Clock clock, Listeners listeners, Duration maxRunTime) {
    this(methods, codec, store, instances, backoff, keepHistory, clock, listeners, maxRunTime, new TaskMetrics());
  }

  /** {@code metrics}: where every attempt's start, run time and outcome are counted. */
  public TaskRunner(TaskMethods methods, ArgumentCodec codec, TaskStore store, Receivers instances,
      BackoffPolicy backoff, boolean keepHistory, Clock clock, Listeners listeners, Duration maxRunTime, TaskMetrics metrics) {
    this.metrics = metrics;
    this.listeners = listeners;
    this.maxRunTime = maxRunTime;
    this.methods = methods;
    this.codec = codec;
    this.store = store;
    this.instances = instances;
    this.backoff = backoff;
    this.keepHistory = keepHistory;
    this.clock = clock;
    this.successes = new SuccessRecorder(store, keepHistory, clock, writes);
  }

  /**
   * Runs the task. A success that stores no next repetition is recorded a moment later, in a
   * batch with others ({@link SuccessRecorder}); its {@code succeeded} and {@code finished}
   * events follow then. Every other outcome is recorded before this returns.
   */
  public void run(ClaimedTask task) {
    TaskEvent event = new TaskEvent(task.id(), task.taskName(), task.method().displayName(), task.queueName(),
        task.attempts(), task.maxAttempts());
    metrics.started(task.queueName(), Duration.between(task.dueAt(), clock.instant()).toMillis() / 1000.0);
    listeners.started(event);
    if (runBody(new Attempt(task, event, System.nanoTime()))) {
      listeners.finished(event);
    }
  }

  /**
   * Interrupts the body of task {@code taskId} if it runs here; its attempt is then recorded as
   * the task's last, failed with {@code why}. Returns whether it ran here.
   */
  public boolean cancel(long taskId, String why) {
    return bodies.cancel(taskId, why);
  }

  /**
   * Interrupts every body still running; each attempt is then recorded as failed, {@code why}
   * being its error. Returns how many were running.
   */
  public int stopRunningBodies(String why) {
    return bodies.stopAll(why);
  }

  /** Waits until the successes handed in so far are recorded, or {@code patience} has passed. */
  public boolean awaitRecorded(Duration patience) throws InterruptedException {
    return successes.awaitRecorded(patience);
  }

  /**
   * Records the successes still waiting (for up to {@code grace}) and stops recording; outcome
   * writes still waiting for the database give up, and their claims are left to the caller.
   */
  public void stop(Duration grace) throws InterruptedException {
    try {
      successes.stop(grace);
    } finally {
      stopping = true;
    }
  }

  /** Returns false when the outcome is recorded later, by the {@link SuccessRecorder}. */
  private boolean runBody(Attempt attempt) {
    ClaimedTask task = attempt.task();
    if (task.cancelRequested()) {
      giveUp(attempt, "cancelled before this attempt started; the task was not run");
      return true;
    }
    if (task.repeatPeriod() != null && !RepeatSchedule.isKnown(task.repeatPeriod())) {
      giveUp(attempt, "refused: the row's repeat_period '" + task.repeatPeriod() + "' is none of "
          + java.util.Arrays.toString(dev.bgtask.Repeat.values()) + "; the task was not run");
      return true;
    }
    TaskMethod method;
    try {
      method = task.resolvedMethod().orElseGet(() -> methods.forRow(task.method()));
    } catch (TaskMethodException e) {
      if (e.isClassUnloadable()) {
        leaveToAnotherJvm(task, e.getMessage());
        return true;
      }
      if (e.isRefused()) {
        giveUp(attempt, e.getMessage());
      } else {
        failed(attempt, e.getMessage());
      }
      return true;
    } catch (LinkageError e) {
      // The class was found but cannot be linked or initialised here (ExceptionInInitializerError,
      // NoClassDefFoundError of a class it needs): an attempt that failed, like a thrown exception.
      failed(attempt, stackTrace(e));
      return true;
    }
    Object[] arguments;
    Object receiver;
    try {
      arguments = argumentsOf(task, method);
      receiver = method.isStatic() ? null
          : ApplicationCode.call(method.declaringClass().getClassLoader(), () -> instances.instanceOf(method.declaringClass()));
    } catch (ArgumentMismatchException e) {
      failed(attempt, e.getMessage());
      return true;
    } catch (Exception | LinkageError e) {
      failed(attempt, stackTrace(e));
      return true;
    }
    Duration limit = task.maxRunSeconds() != null ? Duration.ofSeconds(task.maxRunSeconds()) : maxRunTime;
    RunningBodies.Watch watch = bodies.watch(Thread.currentThread(), task.id(), limit);
    Throwable error = invoke(method, receiver, arguments);
    java.util.Optional<String> stopped = watch.bodyReturned();
    if (stopped.isPresent()) {
      String why = stopped.get() + (error == null ? "; the body then returned" : "; the body then threw " + error);
      if (watch.wasCancelled()) {
        giveUp(attempt, why);
      } else {
        failed(attempt, why);
      }
      return true;
    }
    if (error == null) {
      return succeeded(attempt);
    }
    failed(attempt, stackTrace(error));
    return true;
  }

  /** The call's own arguments when the task started in the JVM that stored it; else the stored JSON, decoded. */
  private Object[] argumentsOf(ClaimedTask task, TaskMethod method) {
    java.util.Optional<Object[]> values = task.argumentValues();
    return values.isPresent() ? values.get() : codec.decode(method, task.arguments());
  }

  private static Throwable invoke(TaskMethod method, Object receiver, Object[] arguments) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(method.declaringClass().getClassLoader());
    try {
      method.body().invoke(receiver, arguments);
      return null;
    } catch (InvocationTargetException e) {
      return e.getCause();
    } catch (Throwable e) {
      // Method.invoke throws ExceptionInInitializerError itself when the class's initialiser fails.
      return e;
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** Returns false when the success is recorded later, with others. */
  private boolean succeeded(Attempt attempt) {
    ClaimedTask task = attempt.task();
    metrics.finished(task.queueName(), TaskMetrics.Outcome.SUCCEEDED, attempt.seconds());
    Instant now = clock.instant();
    java.util.Optional<Instant> next = nextRepetition(task, now);
    if (next.isEmpty()) {
      successes.record(task, held -> {
        afterSuccess(task, attempt.event(), held);
        listeners.finished(attempt.event());
      });
      return false;
    }
    afterSuccess(task, attempt.event(), recorded(task, () -> store.finish(task, TaskStore.Outcome.SUCCEEDED, keepHistory, now, next)));
    return true;
  }

  private void afterSuccess(ClaimedTask task, TaskEvent event, boolean held) {
    if (held) {
      listeners.succeeded(event);
    } else {
      lostClaim(task);
    }
  }

  private void failed(Attempt attempt, String error) {
    ClaimedTask task = attempt.task();
    if (task.attempts() >= task.maxAttempts()) {
      giveUp(attempt, error);
      return;
    }
    metrics.finished(task.queueName(), TaskMetrics.Outcome.FAILED, attempt.seconds());
    Instant now = clock.instant();
    Duration delay = backoff.delayAfter(task.attempts());
    if (recorded(task, () -> store.retryLater(task, error, now.plus(delay), now))) {
      log.warn("{} failed (attempt {} of {}); retrying in {} s: {}", task, task.attempts(), task.maxAttempts(),
          delay.toSeconds(), firstLine(error));
      listeners.failed(attempt.event(), error);
    } else {
      lostClaim(task);
    }
  }

  private void giveUp(Attempt attempt, String error) {
    ClaimedTask task = attempt.task();
    metrics.finished(task.queueName(), TaskMetrics.Outcome.GAVE_UP, attempt.seconds());
    Instant now = clock.instant();
    if (recorded(task, () -> store.giveUp(task, error, keepHistory, now, nextRepetition(task, now)))) {
      log.error("{} failed for good after {} attempt(s): {}", task, task.attempts(), firstLine(error));
      listeners.failed(attempt.event(), error);
      listeners.gaveUp(attempt.event(), error);
    } else {
      lostClaim(task);
    }
  }

  /**
   * Returns what the write returned: false when the claim was lost. A write the database refuses
   * (a value it cannot take) would fail the same way every time: the attempt is recorded as a
   * failure that says so instead, with nothing of what was refused.
   */
  private boolean recorded(ClaimedTask task, java.util.function.BooleanSupplier write) {
    try {
      return writes.retried(task.toString(), write::getAsBoolean);
    } catch (DatabaseUnavailableException e) {
      if (!e.isRefusal()) {
        throw e;
      }
      String error = "the database refused to record the outcome of this attempt (" + e.getMessage()
          + "); it is recorded as a failed attempt instead";
      log.error("{}: {}", task, error);
      Instant now = clock.instant();
      return writes.retried(task.toString(), () -> task.attempts() >= task.maxAttempts()
          ? store.giveUp(task, error, keepHistory, now)
          : store.retryLater(task, error, now.plus(backoff.delayAfter(task.attempts())), now));
    }
  }

  /**
   * A class this JVM cannot load: the claim goes back uncounted with the reason, the class is
   * reported once, and this JVM's claims leave its tasks to JVMs that can run them.
   */
  private void leaveToAnotherJvm(ClaimedTask task, String reason) {
    String error = reason + " in the JVM " + task.claimedByOrUnknown() + "; left for a JVM that can run it";
    if (methods.classLoaders().markUnloadable(task.method().className())) {
      log.warn("tasks of {} cannot run in this JVM ({}); they are left for JVMs that can run them", task.method().className(), reason);
    }
    recorded(task, () -> store.releaseUnrunnable(task, error));
  }

  private static java.util.Optional<Instant> nextRepetition(ClaimedTask task, Instant now) {
    return RepeatSchedule.next(task.repeatPeriod(), task.plannedFor(), task.repeatUntil(), now);
  }

  private static void lostClaim(ClaimedTask task) {
    log.warn("{}: this worker no longer holds its claim; its result was discarded", task);
  }

  private static String stackTrace(Throwable error) {
    StringWriter out = new StringWriter();
    error.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return (newline < 0 ? text : text.substring(0, newline)).trim();
  }
}
