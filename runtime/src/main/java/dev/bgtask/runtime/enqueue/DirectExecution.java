package dev.bgtask.runtime.enqueue;

import dev.bgtask.TaskFailedException;
import dev.bgtask.runtime.task.TaskMethod;
import java.lang.reflect.InvocationTargetException;

/** Runs a task's original body in the calling thread: {@code BackgroundTasks.now} and inline mode. */
public final class DirectExecution {

  private DirectExecution() {}

  public static void run(TaskMethod method, Object receiver, Object[] arguments) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(method.declaringClass().getClassLoader());
    try {
      method.body().invoke(method.isStatic() ? null : receiver, arguments);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new TaskFailedException(method.displayName() + " failed: " + cause, cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot run " + method.displayName() + ": " + e.getMessage(), e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
