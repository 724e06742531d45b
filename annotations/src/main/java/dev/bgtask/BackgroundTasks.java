package dev.bgtask;

import dev.bgtask.internal.TaskBridge;

/** What an application can ask of the agent beyond calling {@code @Background} methods. */
public final class BackgroundTasks {

  private BackgroundTasks() {}

  /** Per-call options; finish with {@link TaskOptions#call}. */
  public static TaskOptions options() {
    return new TaskOptions();
  }

  /**
   * Runs the original body of the lambda's single {@code @Background} call now, in this thread,
   * on the object it was called on, and returns when it is done (django's {@code .now()}). Nothing
   * is stored. An exception from the body is rethrown; a checked one wrapped in {@link TaskFailedException}.
   */
  public static void now(BackgroundCall call) {
    bridge().now(call);
  }

  /** Workers get the receivers of instance-method tasks from {@code resolver} from now on. */
  public static void useInstanceResolver(InstanceResolver resolver) {
    bridge().useInstanceResolver(resolver);
  }

  /** {@code listener} hears about every task of this JVM from now on, after the ServiceLoader ones. */
  public static void addListener(TaskListener listener) {
    bridge().addListener(listener);
  }

  static TaskBridge.Sink bridge() {
    return TaskBridge.sink();
  }
}
