package dev.bgtask.runtime.worker;

import dev.bgtask.runtime.store.ClaimedTask;
import java.util.function.Consumer;

/**
 * A free worker thread held for a task this JVM is storing right now. The task is stored already
 * claimed by this JVM's worker and starts here once committed, without a claim round-trip; if the
 * store fails, the thread is let go.
 */
public final class HeldThread {

  private final String worker;
  private final Consumer<ClaimedTask> start;
  private final Runnable letGo;

  HeldThread(String worker, Consumer<ClaimedTask> start, Runnable letGo) {
    this.worker = worker;
    this.start = start;
    this.letGo = letGo;
  }

  /** The worker that claims the task as it is stored. */
  public String worker() {
    return worker;
  }

  /** Runs the stored, claimed task on the held thread. */
  public void start(ClaimedTask task) {
    start.accept(task);
  }

  public void letGo() {
    letGo.run();
  }
}
