package dev.bgtask.runtime.store;

import dev.bgtask.runtime.task.MethodIdentity;
import dev.bgtask.runtime.task.TaskMethod;
import java.time.Instant;
import java.util.Optional;

/** A task row this worker holds; {@code claimToken} fences every write about this run. */
public final class ClaimedTask {

  private long id;
  private String taskName;
  private String className;
  private String methodName;
  private String descriptor;
  private String arguments;
  private String queueName;
  private int priority;
  private Instant dueAt;
  private int attempts;
  private int maxAttempts;
  private String claimToken;
  private String repeatPeriod;
  private Instant repeatUntil;
  private Long maxRunSeconds;
  private String claimedBy;
  private Instant scheduledFor;
  private Instant cancelRequestedAt;
  private TaskMethod resolvedMethod;
  private Object[] argumentValues;

  /** The claim of a task stored already claimed ({@link NewTask#claimedBy}), as the database now holds it. */
  public static ClaimedTask storedClaimed(NewTask task) {
    ClaimedTask claimed = new ClaimedTask();
    claimed.id = task.getId();
    claimed.taskName = task.getTaskName();
    claimed.className = task.getClassName();
    claimed.methodName = task.getMethodName();
    claimed.descriptor = task.getDescriptor();
    claimed.arguments = task.getArguments();
    claimed.queueName = task.getQueueName();
    claimed.priority = task.getPriority();
    claimed.dueAt = task.getDueAt();
    claimed.attempts = task.getAttempts();
    claimed.maxAttempts = task.getMaxAttempts();
    claimed.claimToken = task.getClaimToken();
    claimed.repeatPeriod = task.getRepeatPeriod();
    claimed.repeatUntil = task.getRepeatUntil();
    claimed.maxRunSeconds = task.getMaxRunSeconds();
    claimed.claimedBy = task.getClaimedBy();
    return claimed;
  }

  /** This waiting row, read under lock, as the claim marked it: {@code token}'s, {@code worker}'s, one attempt more. */
  ClaimedTask markedClaimed(String token, String worker) {
    claimToken = token;
    claimedBy = worker;
    attempts++;
    return this;
  }

  /**
   * This claim, for the JVM that stored it, with the method the call resolved and, when that
   * method {@link TaskMethod#takesOnlyValues takes only values}, the call's own arguments: its run
   * then neither resolves the method again nor decodes the stored JSON.
   */
  public ClaimedTask startingHere(TaskMethod method, Object[] callArguments) {
    resolvedMethod = method;
    argumentValues = method.takesOnlyValues() ? callArguments.clone() : null;
    return this;
  }

  /** The method, when the call that stored this claim resolved it in this JVM; else empty. */
  public Optional<TaskMethod> resolvedMethod() {
    return Optional.ofNullable(resolvedMethod);
  }

  /** The call's own arguments, when they are values a task started in its JVM may take as they are; else empty. */
  public Optional<Object[]> argumentValues() {
    return Optional.ofNullable(argumentValues);
  }

  public long id() { return id; }
  public String taskName() { return taskName; }
  public String arguments() { return arguments; }
  public String queueName() { return queueName; }
  public int priority() { return priority; }
  public Instant dueAt() { return dueAt; }
  /** When this run was planned for: its due time before any retry moved it. */
  public Instant plannedFor() { return scheduledFor != null ? scheduledFor : dueAt; }
  /** Attempts so far, this one included: the claim counts it. */
  public int attempts() { return attempts; }
  public int maxAttempts() { return maxAttempts; }
  public String claimToken() { return claimToken; }
  /** A {@code dev.bgtask.Repeat} name, or null. */
  public String repeatPeriod() { return repeatPeriod; }
  public Instant repeatUntil() { return repeatUntil; }
  /** The task's own run-time limit in seconds, or null for the global one. */
  public Long maxRunSeconds() { return maxRunSeconds; }
  /** True when someone asked for this task to be cancelled (the dashboard): it must not run, or run on. */
  public boolean cancelRequested() { return cancelRequestedAt != null; }
  /** The worker holding the claim. */
  public String claimedByOrUnknown() { return claimedBy == null ? "?" : claimedBy; }

  public MethodIdentity method() {
    return new MethodIdentity(className, methodName, descriptor);
  }

  @Override
  public String toString() {
    return "task " + id + " (" + taskName + ")";
  }
}
