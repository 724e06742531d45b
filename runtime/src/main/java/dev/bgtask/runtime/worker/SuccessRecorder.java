package dev.bgtask.runtime.worker;

import dev.bgtask.runtime.AgentThreads;
import dev.bgtask.runtime.FatalErrors;
import dev.bgtask.runtime.store.ClaimedTask;
import dev.bgtask.runtime.store.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records successful runs in batches, on a thread of its own, so a worker thread takes its next
 * task as soon as a body returns. Every success that is waiting goes into one transaction, each row
 * still fenced by its claim token. A run stays claimed, so no one else runs it, until its success
 * is recorded; only then do its listeners hear of it.
 */
final class SuccessRecorder {

  private static final Logger log = LoggerFactory.getLogger(SuccessRecorder.class);
  private static final int MAX_BATCH = 500;

  private record Success(ClaimedTask task, Consumer<Boolean> whenRecorded) {}

  private final TaskStore store;
  private final boolean keepHistory;
  private final Clock clock;
  private final OutcomeWrites writes;
  private final LinkedBlockingQueue<Success> waiting = new LinkedBlockingQueue<>();
  private final Thread thread = AgentThreads.newThread(this::recordUntilStopped, "bgtask-success-recorder");
  private int inFlight;
  private volatile boolean stopping;

  SuccessRecorder(TaskStore store, boolean keepHistory, Clock clock, OutcomeWrites writes) {
    this.writes = writes;
    this.store = store;
    this.keepHistory = keepHistory;
    this.clock = clock;
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a success; {@code whenRecorded} gets whether the claim still held once it is written. */
  void record(ClaimedTask task, Consumer<Boolean> whenRecorded) {
    synchronized (this) {
      inFlight++;
    }
    waiting.add(new Success(task, whenRecorded));
  }

  /** Waits until every success handed in so far is recorded, or {@code patience} has passed. */
  synchronized boolean awaitRecorded(Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (inFlight > 0) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  /** Records what is waiting (for up to {@code grace}), then stops the thread. */
  void stop(Duration grace) throws InterruptedException {
    awaitRecorded(grace);
    stopping = true;
    thread.interrupt();
  }

  private void recordUntilStopped() {
    while (!stopping) {
      List<Success> batch = new ArrayList<>();
      try {
        Success first = waiting.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
      } catch (InterruptedException e) {
        return;
      }
      waiting.drainTo(batch, MAX_BATCH - 1);
      write(batch);
    }
  }

  private void write(List<Success> batch) {
    List<ClaimedTask> tasks = batch.stream().map(Success::task).toList();
    try {
      List<Boolean> held = writes.retried(tasks.size() == 1 ? tasks.get(0).toString() : tasks.size() + " tasks",
          () -> store.finishSucceeded(tasks, keepHistory, clock.instant()));
      for (int i = 0; i < batch.size(); i++) {
        tell(batch.get(i), held.get(i));
      }
    } catch (RuntimeException | LinkageError | AssertionError e) {
      log.error("{} successful task(s) could not be recorded; they run again once their claims are released", tasks.size(), e);
    } finally {
      done(batch.size());
    }
  }

  /** Runs a success's follow-up (its listeners): whatever that throws, this thread goes on recording. */
  private static void tell(Success success, boolean held) {
    try {
      success.whenRecorded().accept(held);
    } catch (Throwable e) {
      if (FatalErrors.isFatal(e)) {
        throw (VirtualMachineError) e;
      }
      log.warn("{}: after its success was recorded: {}", success.task(), e.toString());
    }
  }

  private synchronized void done(int recorded) {
    inFlight -= recorded;
    notifyAll();
  }
}
