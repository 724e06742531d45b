package dev.bgtask.runtime;

import java.util.concurrent.Callable;

/**
 * Calls into the application (its instance resolver, its listeners) with the application's class
 * loader as the thread's context loader, as a library it calls would expect, never the agent's
 * hidden one; the thread's own loader is restored after.
 */
public final class ApplicationCode {

  private ApplicationCode() {}

  public static <T> T call(ClassLoader loader, Callable<T> code) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return code.call();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
