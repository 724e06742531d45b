package dev.bgtask.internal;

import dev.bgtask.BackgroundCall;
import dev.bgtask.InstanceResolver;
import dev.bgtask.TaskListener;
import dev.bgtask.TaskOptions;

/**
 * The one door between rewritten application classes and the agent's hidden runtime.
 *
 * <p>The agent appends this class to the bootstrap class path, so the code it inlines into any
 * application class can reach it whatever that class's loader is. It must stay JDK-only: everything
 * here is global to the JVM. Not for application use.
 */
public final class TaskBridge {

  /** What the runtime offers the rewritten methods and the {@code BackgroundTasks} facade. */
  public interface Sink {
    /**
     * Stores one task for the {@code @Background} method {@code signature} (name followed by its
     * JVM descriptor) declared by {@code declaringType}.
     */
    void enqueue(Class<?> declaringType, String signature, Object receiver, Object[] arguments);

    long call(TaskOptions options, BackgroundCall call);

    void now(BackgroundCall call);

    /**
     * Runs {@code call}, storing its tasks through {@code connection}, a {@code java.sql.Connection}
     * (typed {@code Object} here: this class is on the boot class path, which cannot see java.sql).
     */
    void inTransaction(Object connection, BackgroundCall call);

    void useInstanceResolver(InstanceResolver resolver);

    void addListener(TaskListener listener);

    void recurring(String name, String cron, java.time.Duration period, BackgroundCall call);

    void pause(boolean paused, String... queues);

    void useTransactionBinding(dev.bgtask.TransactionBinding binding);

    /** Holds this JVM's workers (no claims; running tasks finish within the grace period), or lets them work. */
    void holdWorkers(boolean hold);

    java.util.Map<String, Object> health();

    /** The worker command, {@code dev.bgtask.agent.ProcessTasks}: runs this JVM's workers; returns the exit code. */
    int runWorkerCommand(String[] arguments);
  }

  private static volatile Sink sink;

  private TaskBridge() {}

  public static void install(Sink newSink) {
    sink = newSink;
  }

  public static boolean isInstalled() {
    return sink != null;
  }

  /** The runtime, for the facade; throws when the agent is not attached. */
  public static Sink sink() {
    Sink current = sink;
    if (current == null) {
      throw new IllegalStateException("background-task: the agent is not attached to this JVM;"
          + " start it with -javaagent:background-task-agent.jar");
    }
    return current;
  }

  /** Called from every rewritten {@code @Background} method in place of its body. */
  public static void enqueue(Class<?> declaringType, String signature, Object receiver, Object[] arguments) {
    Sink current = sink;
    if (current == null) {
      throw new IllegalStateException(
          "background-task: the agent has not finished starting, so "
              + declaringType.getName() + "." + signature.substring(0, signature.indexOf('('))
              + " cannot be stored as a task yet");
    }
    current.enqueue(declaringType, signature, receiver, arguments);
  }
}
