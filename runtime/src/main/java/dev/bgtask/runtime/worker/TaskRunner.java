package dev.bgtask.runtime.worker;

import dev.bgtask.runtime.codec.ArgumentCodec;
import dev.bgtask.runtime.codec.ArgumentMismatchException;
import dev.bgtask.runtime.schedule.BackoffPolicy;
import dev.bgtask.runtime.schedule.RepeatSchedule;
import dev.bgtask.runtime.store.ClaimedTask;
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

  public TaskRunner(TaskMethods methods, ArgumentCodec codec, TaskStore store, Receivers instances,
      BackoffPolicy backoff, boolean keepHistory, Clock clock) {
    this.methods = methods;
    this.codec = codec;
    this.store = store;
    this.instances = instances;
    this.backoff = backoff;
    this.keepHistory = keepHistory;
    this.clock = clock;
  }

  void run(ClaimedTask task) {
    TaskMethod method;
    try {
      method = methods.forRow(task.method());
    } catch (TaskMethodException e) {
      if (e.isRefused()) {
        giveUp(task, e.getMessage());
      } else {
        failed(task, e.getMessage());
      }
      return;
    }
    Object[] arguments;
    Object receiver;
    try {
      arguments = codec.decode(method, task.arguments());
      receiver = method.isStatic() ? null : instances.instanceOf(method.declaringClass());
    } catch (ArgumentMismatchException e) {
      failed(task, e.getMessage());
      return;
    } catch (Exception e) {
      failed(task, stackTrace(e));
      return;
    }
    Throwable error = invoke(method, receiver, arguments);
    if (error == null) {
      succeeded(task);
    } else {
      failed(task, stackTrace(error));
    }
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

  private void succeeded(ClaimedTask task) {
    Instant now = clock.instant();
    if (!store.finish(task, TaskStore.Outcome.SUCCEEDED, keepHistory, now, nextRepetition(task, now))) {
      lostClaim(task);
    }
  }

  private void failed(ClaimedTask task, String error) {
    if (task.attempts() >= task.maxAttempts()) {
      giveUp(task, error);
      return;
    }
    Instant now = clock.instant();
    Duration delay = backoff.delayAfter(task.attempts());
    if (store.retryLater(task, error, now.plus(delay), now)) {
      log.warn("{} failed (attempt {} of {}); retrying in {} s: {}", task, task.attempts(), task.maxAttempts(),
          delay.toSeconds(), firstLine(error));
    } else {
      lostClaim(task);
    }
  }

  private void giveUp(ClaimedTask task, String error) {
    Instant now = clock.instant();
    if (store.giveUp(task, error, keepHistory, now, nextRepetition(task, now))) {
      log.error("{} failed for good after {} attempt(s): {}", task, task.attempts(), firstLine(error));
    } else {
      lostClaim(task);
    }
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
