package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.Objects;

/** One row of the recurring-schedule table: what to store, how often, and when it fires next. */
public final class RecurringSchedule {

  private String name;
  private String taskName;
  private String className;
  private String methodName;
  private String descriptor;
  private String arguments;
  private String queueName;
  private int priority;
  private int maxAttempts;
  private String cron;
  private Long periodMs;
  private Long maxRunSeconds;
  private Instant nextFireAt;
  private Instant updatedAt;

  RecurringSchedule() {}

  public RecurringSchedule(String name, NewTask task, String cron, Long periodMs, Instant nextFireAt, Instant updatedAt) {
    this.name = name;
    this.taskName = task.getTaskName();
    this.className = task.getClassName();
    this.methodName = task.getMethodName();
    this.descriptor = task.getDescriptor();
    this.arguments = task.getArguments();
    this.queueName = task.getQueueName();
    this.priority = task.getPriority();
    this.maxAttempts = task.getMaxAttempts();
    this.maxRunSeconds = task.getMaxRunSeconds();
    this.cron = cron;
    this.periodMs = periodMs;
    this.nextFireAt = nextFireAt;
    this.updatedAt = updatedAt;
  }

  /** Same task and same timing: registering it again changes nothing. */
  boolean sameDefinitionAs(RecurringSchedule other) {
    return taskName.equals(other.taskName) && className.equals(other.className) && methodName.equals(other.methodName)
        && descriptor.equals(other.descriptor) && arguments.equals(other.arguments) && queueName.equals(other.queueName)
        && priority == other.priority && maxAttempts == other.maxAttempts && Objects.equals(cron, other.cron)
        && Objects.equals(maxRunSeconds, other.maxRunSeconds)
        && Objects.equals(periodMs, other.periodMs);
  }

  /** The task one firing stores, due at the fire time. */
  NewTask taskFiringAt(Instant fireAt, Instant now) {
    return new NewTask(taskName, className, methodName, descriptor, arguments, queueName, priority, fireAt, now, maxAttempts)
        .withMaxRunSeconds(maxRunSeconds);
  }

  public String getName() { return name; }
  public String getTaskName() { return taskName; }
  public String getClassName() { return className; }
  public String getMethodName() { return methodName; }
  public String getDescriptor() { return descriptor; }
  public String getArguments() { return arguments; }
  public String getQueueName() { return queueName; }
  public int getPriority() { return priority; }
  public int getMaxAttempts() { return maxAttempts; }
  public String getCron() { return cron; }
  public Long getPeriodMs() { return periodMs; }
  public Long getMaxRunSeconds() { return maxRunSeconds; }
  public Instant getNextFireAt() { return nextFireAt; }
  public Instant getUpdatedAt() { return updatedAt; }
}
