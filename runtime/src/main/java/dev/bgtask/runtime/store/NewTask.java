package dev.bgtask.runtime.store;

import java.time.Instant;

/** A task about to be stored. {@code id} is filled in by the insert. */
public final class NewTask {

  private Long id;
  private final String taskName;
  private final String className;
  private final String methodName;
  private final String descriptor;
  private final String arguments;
  private final String queueName;
  private final int priority;
  private final Instant dueAt;
  private final Instant createdAt;
  private final int maxAttempts;
  private final String verboseName;
  private final String creator;
  private String pendingKey;
  private String repeatPeriod;
  private Instant repeatUntil;
  private Long maxRunSeconds;
  private String claimToken;
  private String claimedBy;

  public NewTask(String taskName, String className, String methodName, String descriptor, String arguments,
      String queueName, int priority, Instant dueAt, Instant createdAt, int maxAttempts) {
    this(taskName, className, methodName, descriptor, arguments, queueName, priority, dueAt, createdAt, maxAttempts, null, null);
  }

  public NewTask(String taskName, String className, String methodName, String descriptor, String arguments,
      String queueName, int priority, Instant dueAt, Instant createdAt, int maxAttempts, String verboseName, String creator) {
    this.verboseName = verboseName;
    this.creator = creator;
    this.taskName = taskName;
    this.className = className;
    this.methodName = methodName;
    this.descriptor = descriptor;
    this.arguments = arguments;
    this.queueName = queueName;
    this.priority = priority;
    this.dueAt = dueAt;
    this.createdAt = createdAt;
    this.maxAttempts = maxAttempts;
  }

  public Long getId() { return id; }
  public void setId(Long id) { this.id = id; }
  public String getTaskName() { return taskName; }
  public String getClassName() { return className; }
  public String getMethodName() { return methodName; }
  public String getDescriptor() { return descriptor; }
  public String getArguments() { return arguments; }
  public String getQueueName() { return queueName; }
  public int getPriority() { return priority; }
  public Instant getDueAt() { return dueAt; }
  public Instant getCreatedAt() { return createdAt; }
  public int getMaxAttempts() { return maxAttempts; }
  public String getVerboseName() { return verboseName; }
  public String getCreator() { return creator; }
  public String getPendingKey() { return pendingKey; }
  public String getRepeatPeriod() { return repeatPeriod; }
  public Instant getRepeatUntil() { return repeatUntil; }
  public Long getMaxRunSeconds() { return maxRunSeconds; }
  public String getClaimToken() { return claimToken; }
  public String getClaimedBy() { return claimedBy; }
  /** A task stored already claimed counts its first attempt, as a claim would. */
  public int getAttempts() { return claimToken == null ? 0 : 1; }
  public Instant getClaimedAt() { return claimToken == null ? null : createdAt; }

  /** Stores the task already claimed by {@code worker}, which runs it without claiming it from the database. */
  public NewTask claimedBy(String worker, String token) {
    this.claimedBy = worker;
    this.claimToken = token;
    return this;
  }

  /** This task's own run-time limit; null means the global one. */
  public NewTask withMaxRunSeconds(Long seconds) {
    this.maxRunSeconds = seconds;
    return this;
  }

  /** Stores the task again after each run, per {@code dev.bgtask.Repeat} {@code period}, until {@code until}. */
  public NewTask withRepeat(String period, Instant until) {
    this.repeatPeriod = period;
    this.repeatUntil = until;
    return this;
  }

  /** Makes this task de-duplicated against waiting tasks with the same key. */
  public NewTask withPendingKey(String key) {
    this.pendingKey = key;
    return this;
  }
}
