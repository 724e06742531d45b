package dev.bgtask.runtime.enqueue;

import dev.bgtask.EnqueueException;
import dev.bgtask.runtime.codec.ArgumentCodec;
import dev.bgtask.runtime.store.DatabaseUnavailableException;
import dev.bgtask.runtime.store.NewTask;
import dev.bgtask.runtime.store.TaskStore;
import dev.bgtask.runtime.task.BackgroundAttributes;
import dev.bgtask.runtime.task.MethodIdentity;
import dev.bgtask.runtime.task.TaskMethod;
import dev.bgtask.runtime.task.TaskMethods;
import java.time.Clock;
import java.time.Instant;

/**
 * What a rewritten {@code @Background} call does instead of its body: serialise the arguments in
 * the caller's thread, store one row, wake a local worker. A failure throws to the caller and
 * stores nothing.
 */
public final class TaskEnqueuer {

  private final TaskMethods methods;
  private final ArgumentCodec codec;
  private final TaskStore store;
  private final int defaultMaxAttempts;
  private final Clock clock;
  private final Runnable afterCommit;

  public TaskEnqueuer(TaskMethods methods, ArgumentCodec codec, TaskStore store, int defaultMaxAttempts, Clock clock, Runnable afterCommit) {
    this.methods = methods;
    this.codec = codec;
    this.store = store;
    this.defaultMaxAttempts = defaultMaxAttempts;
    this.clock = clock;
    this.afterCommit = afterCommit;
  }

  /** Stores the call and returns the new task's id. */
  public long enqueue(Class<?> declaringType, String signature, Object[] arguments) {
    TaskMethod method = methods.forCall(declaringType, signature);
    String json = codec.encode(method, arguments);
    long id;
    try {
      id = store.insert(newTask(method, json));
    } catch (DatabaseUnavailableException e) {
      throw new EnqueueException("cannot store a task for " + method.displayName() + ": " + e.getMessage(), e);
    }
    afterCommit.run();
    return id;
  }

  private NewTask newTask(TaskMethod method, String json) {
    BackgroundAttributes attributes = method.attributes();
    MethodIdentity identity = method.identity();
    Instant now = clock.instant();
    int maxAttempts = attributes.maxAttempts() > 0 ? attributes.maxAttempts() : defaultMaxAttempts;
    return new NewTask(method.taskName(), identity.className(), identity.methodName(), identity.descriptor(), json,
        attributes.queue(), attributes.priority(), now.plusSeconds(attributes.scheduleSeconds()), now, maxAttempts);
  }
}
