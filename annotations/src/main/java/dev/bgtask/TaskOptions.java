package dev.bgtask;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Per-call options, django's {@code schedule=}, {@code priority}, {@code queue}, {@code verbose_name}
 * and {@code creator}: {@code BackgroundTasks.options().in(Duration.ofMinutes(20)).priority(5).call(() -> reports.nightly(42))}.
 * Each option given here wins over the method's {@code @Background} attribute.
 */
public final class TaskOptions {

  private Duration delay;
  private Instant dueAt;
  private Integer priority;
  private String queue;
  private String verboseName;
  private String creator;
  private boolean unique;
  private Repeat repeat = Repeat.NEVER;
  private Instant repeatUntil;

  TaskOptions() {}

  /** Due this long after the call. */
  public TaskOptions in(Duration delay) {
    this.delay = Objects.requireNonNull(delay, "delay");
    this.dueAt = null;
    return this;
  }

  /** Due at this instant. */
  public TaskOptions at(Instant dueAt) {
    this.dueAt = Objects.requireNonNull(dueAt, "dueAt");
    this.delay = null;
    return this;
  }

  public TaskOptions priority(int priority) {
    this.priority = priority;
    return this;
  }

  public TaskOptions queue(String queue) {
    this.queue = Objects.requireNonNull(queue, "queue");
    return this;
  }

  /** A human-readable name kept on the row, for listings. */
  public TaskOptions verboseName(String verboseName) {
    this.verboseName = verboseName;
    return this;
  }

  /** Who asked for the task (a user id, say), kept on the row. */
  public TaskOptions creator(String creator) {
    this.creator = creator;
    return this;
  }

  /**
   * Once run (whether it succeeded or used up its attempts), the task is stored again, due at its
   * previous due time plus the period; periods missed while nothing ran are skipped, not made up.
   */
  public TaskOptions repeat(Repeat repeat) {
    this.repeat = Objects.requireNonNull(repeat, "repeat");
    return this;
  }

  /** The last instant a repetition may be due; none after it. */
  public TaskOptions repeatUntil(Instant repeatUntil) {
    this.repeatUntil = repeatUntil;
    return this;
  }

  /**
   * Store only if no task of the same name and arguments, also stored with {@code unique()} (or by
   * a {@code removeExistingTasks} method), is waiting; {@link #call} then returns that task's id.
   */
  public TaskOptions unique() {
    this.unique = true;
    return this;
  }

  /**
   * Stores the task that {@code call}'s single {@code @Background} call describes, with these
   * options, and returns its id. A lambda that makes no {@code @Background} call, or more than one,
   * is an {@link IllegalArgumentException} and stores nothing.
   */
  public long call(BackgroundCall call) {
    return BackgroundTasks.bridge().call(this, call);
  }

  public Duration delay() {
    return delay;
  }

  public Instant dueAt() {
    return dueAt;
  }

  public Integer priority() {
    return priority;
  }

  public String queue() {
    return queue;
  }

  public String verboseName() {
    return verboseName;
  }

  public String creator() {
    return creator;
  }

  public boolean isUnique() {
    return unique;
  }

  public Repeat repeat() {
    return repeat;
  }

  public Instant repeatUntil() {
    return repeatUntil;
  }
}
