package dev.bgtask.runtime.enqueue;

import dev.bgtask.EnqueueException;
import dev.bgtask.Repeat;
import dev.bgtask.TaskEvent;
import dev.bgtask.TaskOptions;
import dev.bgtask.runtime.codec.ArgumentCodec;
import dev.bgtask.runtime.event.Listeners;
import dev.bgtask.runtime.metrics.TaskMetrics;
import dev.bgtask.runtime.store.CallerTransaction;
import dev.bgtask.runtime.store.ClaimTokens;
import dev.bgtask.runtime.store.ClaimedTask;
import dev.bgtask.runtime.store.DatabaseUnavailableException;
import dev.bgtask.runtime.store.NewTask;
import dev.bgtask.runtime.store.TaskStore;
import dev.bgtask.runtime.task.BackgroundAttributes;
import dev.bgtask.runtime.task.MethodIdentity;
import dev.bgtask.runtime.task.TaskMethod;
import dev.bgtask.runtime.task.TaskMethods;
import dev.bgtask.runtime.worker.HeldThread;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * What a rewritten {@code @Background} call does instead of its body: serialise the arguments in
 * the caller's thread, store one row, and start it on a free local worker thread or wake the
 * local workers. A failure throws to the caller and stores nothing.
 */
public final class TaskEnqueuer {

  private final TaskMethods methods;
  private final ArgumentCodec codec;
  private final TaskStore store;
  private final int defaultMaxAttempts;
  private final Clock clock;
  private final Runnable afterCommit;
  private final Listeners listeners;
  private final BiFunction<String, Instant, Optional<HeldThread>> localThreads;
  private final TaskMetrics metrics;

  /**
   * {@code localThreads}: a free thread of this JVM's workers for a task of that queue, due then,
   * which then runs it without claiming it from the database; {@code metrics}: where each stored
   * call is counted.
   */
  public TaskEnqueuer(TaskMethods methods, ArgumentCodec codec, TaskStore store, int defaultMaxAttempts, Clock clock,
      Runnable afterCommit, Listeners listeners, BiFunction<String, Instant, Optional<HeldThread>> localThreads,
      TaskMetrics metrics) {
    this.metrics = metrics;
    this.localThreads = localThreads;
    this.listeners = listeners;
    this.methods = methods;
    this.codec = codec;
    this.store = store;
    this.defaultMaxAttempts = defaultMaxAttempts;
    this.clock = clock;
    this.afterCommit = afterCommit;
  }

  /** The task a call describes, with its method's attributes, without storing it. */
  public NewTask describe(CapturedCall call) {
    TaskMethod method = methods.forCall(call.declaringType(), call.signature());
    return newTask(method, codec.encode(method, call.arguments()), new TaskOptionsView());
  }

  /** Stores the call with per-call options (which may be {@code null}) and returns the new task's id. */
  public long enqueue(CapturedCall call, TaskOptions options) {
    return store(prepare(call, options));
  }

  /**
   * A call ready to store: its method resolved and its arguments written as JSON now, so a call
   * that cannot be stored fails in its caller even when the store itself comes later.
   */
  public record PreparedCall(TaskMethod method, NewTask task, boolean unique, boolean keyed, Object[] arguments) {}

  public PreparedCall prepare(CapturedCall call, TaskOptions options) {
    TaskMethod method = methods.forCall(call.declaringType(), call.signature());
    String json = codec.encode(method, call.arguments());
    NewTask task = newTask(method, json, options == null ? new TaskOptionsView() : new TaskOptionsView(options));
    if (options != null && options.repeat() != Repeat.NEVER) {
      task.withRepeat(options.repeat().name(), options.repeatUntil());
    }
    boolean unique = options != null && options.isUnique();
    return new PreparedCall(method, task, unique, unique || method.attributes().removeExistingTasks(), call.arguments());
  }

  /** Stores a prepared call and returns the new task's id; on a free local thread it starts at once. */
  public long store(PreparedCall call) {
    TaskMethod method = call.method();
    NewTask task = call.task();
    Optional<HeldThread> thread = call.keyed() || CallerTransaction.isBound() ? Optional.empty()
        : localThreads.apply(task.getQueueName(), task.getDueAt());
    thread.ifPresent(held -> task.claimedBy(held.worker(), ClaimTokens.next()));
    long id;
    boolean stored = false;
    try {
      if (call.unique()) {
        id = store.insertUnique(task.withPendingKey(PendingKey.of(task)));
      } else if (call.keyed()) {
        id = store.replacePending(task.withPendingKey(PendingKey.of(task)));
      } else {
        id = store.insert(task);
      }
      stored = true;
      metrics.enqueued(task.getQueueName());
    } catch (DatabaseUnavailableException e) {
      throw new EnqueueException("cannot store a task for " + method.displayName() + ": " + e.getMessage(), e);
    } finally {
      if (!stored) {
        thread.ifPresent(HeldThread::letGo);
      }
    }
    // Heard before a local worker starts it, so this JVM's listeners hear "created" before "started".
    listeners.created(new TaskEvent(id, task.getTaskName(), method.displayName(), task.getQueueName(), 0, task.getMaxAttempts()));
    if (thread.isPresent()) {
      thread.get().start(ClaimedTask.storedClaimed(task).startingHere(method, call.arguments()));
    } else if (!CallerTransaction.commitsLater()) {
      afterCommit.run();
    }
    return id;
  }

  private NewTask newTask(TaskMethod method, String json, TaskOptionsView options) {
    BackgroundAttributes attributes = method.attributes();
    MethodIdentity identity = method.identity();
    Instant now = clock.instant();
    int maxAttempts = attributes.maxAttempts() > 0 ? attributes.maxAttempts() : defaultMaxAttempts;
    Instant due = options.dueAt(now).orElse(now.plusSeconds(attributes.scheduleSeconds()));
    return new NewTask(method.taskName(), identity.className(), identity.methodName(), identity.descriptor(), json,
        options.queue().orElse(attributes.queue()), options.priority().orElse(attributes.priority()), due, now, maxAttempts,
        options.verboseName(), options.creator())
        .withMaxRunSeconds(attributes.maxRunTimeSeconds() > 0 ? attributes.maxRunTimeSeconds() : null);
  }

  /** The options of one call; every one of them may be absent. */
  private record TaskOptionsView(TaskOptions options) {
    TaskOptionsView() {
      this(null);
    }

    java.util.Optional<Instant> dueAt(Instant now) {
      if (options == null) {
        return java.util.Optional.empty();
      }
      if (options.dueAt() != null) {
        return java.util.Optional.of(options.dueAt());
      }
      return java.util.Optional.ofNullable(options.delay()).map(now::plus);
    }

    java.util.Optional<String> queue() {
      return java.util.Optional.ofNullable(options == null ? null : options.queue());
    }

    java.util.Optional<Integer> priority() {
      return java.util.Optional.ofNullable(options == null ? null : options.priority());
    }

    String verboseName() {
      return options == null ? null : options.verboseName();
    }

    String creator() {
      return options == null ? null : options.creator();
    }
  }
}
