package dev.bgtask.runtime.worker;

import dev.bgtask.TaskEvent;
import dev.bgtask.runtime.codec.ArgumentCodec;
import dev.bgtask.runtime.event.Listeners;
import dev.bgtask.runtime.codec.ArgumentMismatchException;
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
  private final RunTimeLimit runTimeLimit = new RunTimeLimit();
  private final SuccessRecorder successes;

  public TaskRunner(TaskMethods methods, ArgumentCodec codec, TaskStore store, Receivers instances,
      BackoffPolicy backoff, boolean keepHistory, Clock clock) {
    this(methods, codec, store, instances, backoff, keepHistory, clock, new Listeners(), Duration.ZERO);
  }

  /** {@code maxRunTime}: the global limit of one attempt (zero: none), unless a task has its own. */
  public TaskRunner(TaskMethods methods, ArgumentCodec codec, TaskStore store, Receivers instances,
      BackoffPolicy backoff, boolean keepHistory, Clock clock, Listeners listeners, Duration maxRunTime) {
    this.listeners = listeners;
    this.maxRunTime = maxRunTime;
    this.methods = methods;
    this.codec = codec;
    this.store = store;
    this.instances = instances;
    this.backoff = backoff;
    this.keepHistory = keepHistory;
    this.clock = clock;
    this.successes = new SuccessRecorder(store, keepHistory, clock);
  }

  /**
   * Runs the task. A success that stores no next repetition is recorded a moment later, in a
   * batch with others ({@link SuccessRecorder}); its {@code succeeded} and {@code finished}
   * events follow then. Every other outcome is recorded before this returns.
   */
  public void run(ClaimedTask task) {
    TaskEvent event = new TaskEvent(task.id(), task.taskName(), task.method().displayName(), task.queueName(),
        task.attempts(), task.maxAttempts());
    listeners.started(event);
    if (runBody(task, event)) {
      listeners.finished(event);
    }
  }

  /** Waits until the successes handed in so far are recorded, or {@code patience} has passed. */
  public boolean awaitRecorded(Duration patience) throws InterruptedException {
    return successes.awaitRecorded(patience);
  }

  /** Records the successes still waiting (for up to {@code grace}) and stops recording. */
  public void stop(Duration grace) throws InterruptedException {
    successes.stop(grace);
  }

  /** Returns false when the outcome is recorded later, by the {@link SuccessRecorder}. */
  private boolean runBody(ClaimedTask task, TaskEvent event) {
    TaskMethod method;
    try {
      method = task.resolvedMethod().orElseGet(() -> methods.forRow(task.method()));
    } catch (TaskMethodException e) {
      if (e.isClassUnloadable()) {
        leaveToAnotherJvm(task, e.getMessage());
        return true;
      }
      if (e.isRefused()) {
        giveUp(task, event, e.getMessage());
      } else {
        failed(task, event, e.getMessage());
      }
      return true;
    }
    Object[] arguments;
    Object receiver;
    try {
      arguments = argumentsOf(task, method);
      receiver = method.isStatic() ? null : instances.instanceOf(method.declaringClass());
    } catch (ArgumentMismatchException e) {
      failed(task, event, e.getMessage());
      return true;
    } catch (Exception e) {
      failed(task, event, stackTrace(e));
      return true;
    }
    Duration limit = task.maxRunSeconds() != null ? Duration.ofSeconds(task.maxRunSeconds()) : maxRunTime;
    RunTimeLimit.Watch watch = runTimeLimit.watch(Thread.currentThread(), limit);
    Throwable error = invoke(method, receiver, arguments);
    if (watch.bodyReturned()) {
      failed(task, event, "timed out after " + describe(limit) + " (maxRunTime); the attempt was interrupted"
          + (error == null ? " and then returned" : ", ending with " + error));
      return true;
    }
    if (error == null) {
      return succeeded(task, event);
    }
    failed(task, event, stackTrace(error));
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
    } catch (ReflectiveOperationException | RuntimeException e) {
      return e;
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** Returns false when the success is recorded later, with others. */
  private boolean succeeded(ClaimedTask task, TaskEvent event) {
    Instant now = clock.instant();
    java.util.Optional<Instant> next = nextRepetition(task, now);
    if (next.isEmpty()) {
      successes.record(task, held -> {
        afterSuccess(task, event, held);
        listeners.finished(event);
      });
      return false;
    }
    afterSuccess(task, event, recorded(task, () -> store.finish(task, TaskStore.Outcome.SUCCEEDED, keepHistory, now, next)));
    return true;
  }

  private void afterSuccess(ClaimedTask task, TaskEvent event, boolean held) {
    if (held) {
      listeners.succeeded(event);
    } else {
      lostClaim(task);
    }
  }

  private void failed(ClaimedTask task, TaskEvent event, String error) {
    if (task.attempts() >= task.maxAttempts()) {
      giveUp(task, event, error);
      return;
    }
    Instant now = clock.instant();
    Duration delay = backoff.delayAfter(task.attempts());
    if (recorded(task, () -> store.retryLater(task, error, now.plus(delay), now))) {
      log.warn("{} failed (attempt {} of {}); retrying in {} s: {}", task, task.attempts(), task.maxAttempts(),
          delay.toSeconds(), firstLine(error));
      listeners.failed(event, error);
    } else {
      lostClaim(task);
    }
  }

  private void giveUp(ClaimedTask task, TaskEvent event, String error) {
    Instant now = clock.instant();
    if (recorded(task, () -> store.giveUp(task, error, keepHistory, now, nextRepetition(task, now)))) {
      log.error("{} failed for good after {} attempt(s): {}", task, task.attempts(), firstLine(error));
      listeners.failed(event, error);
      listeners.gaveUp(event, error);
    } else {
      lostClaim(task);
    }
  }

  /** Returns what the write returned: false when the claim was lost. */
  private static boolean recorded(ClaimedTask task, java.util.function.BooleanSupplier write) {
    return OutcomeWrites.retried(task.toString(), write::getAsBoolean);
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

  private static String describe(Duration limit) {
    return limit.toMillis() % 1000 == 0 ? limit.toSeconds() + " s" : limit.toMillis() + " ms";
  }

  private static java.util.Optional<Instant> nextRepetition(ClaimedTask task, Instant now) {
    return RepeatSchedule.next(task.repeatPeriod(), task.dueAt(), task.repeatUntil(), now);
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
