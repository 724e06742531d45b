package dev.bgtask.runtime;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's own threads. Many start lazily, on an application thread (the first call that stores
 * a task, say), and a thread inherits from the one that makes it: its inheritable thread-locals and
 * its context class loader, which would pin the application's loader (an undeployed web
 * application's) for as long as the agent runs. These inherit neither: no thread-locals, the agent's
 * loader as context loader, daemon.
 */
public final class AgentThreads {

  private static final ClassLoader AGENT = AgentThreads.class.getClassLoader();

  private AgentThreads() {}

  public static Thread newThread(Runnable task, String name) {
    Thread thread = new Thread(null, task, name, 0, false);
    thread.setDaemon(true);
    thread.setContextClassLoader(AGENT);
    return thread;
  }

  /** Threads named {@code name}, or {@code name1}, {@code name2}, ... when it ends with a dash. */
  public static ThreadFactory named(String name) {
    AtomicInteger count = new AtomicInteger();
    return task -> newThread(task, name.endsWith("-") ? name + count.incrementAndGet() : name);
  }
}
