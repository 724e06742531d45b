package dev.bgtask;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code void} method whose calls become durable background tasks.
 *
 * <p>With the background-task agent attached, a call stores a task row (which method, the
 * arguments as JSON, when it is due) and returns at once; a worker later runs the method's
 * original body. Without the agent the annotation is inert and the method runs as written.
 *
 * <p>Annotations are not inherited: an overriding method needs its own {@code @Background}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Background {

  /** Seconds from the call until the task is due. */
  long schedule() default 0;

  /** Queue the task is stored in; workers may be limited to some queues. */
  String queue() default "";

  /** Higher runs first among due tasks. */
  int priority() default 0;

  /** Task name shown in listings; defaults to {@code fully.qualified.Class.method}. */
  String name() default "";

  /** Attempts before the task is given up; 0 means the global {@code maxAttempts}. */
  int maxAttempts() default 0;

  /**
   * Seconds an attempt may run before its thread is interrupted and the attempt recorded as failed
   * ("timed out after N s") and retried; 0 means the global {@code maxRunTime}.
   */
  long maxRunTime() default 0;

  /**
   * A new call replaces the waiting (not yet started) tasks of this method with the same arguments,
   * so at most one waits at any time. Decided by a unique key in the database, so it holds for
   * concurrent callers in any number of JVMs.
   */
  boolean removeExistingTasks() default false;
}
