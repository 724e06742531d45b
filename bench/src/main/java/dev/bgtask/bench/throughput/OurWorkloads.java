package dev.bgtask.bench.throughput;

import dev.bgtask.BackgroundTasks;
import java.util.Optional;

/**
 * background-task's side of the {@link Workloads}, in a child JVM started with the agent, which
 * has the database URL in its options. The drain's JVM starts with its workers paused (agent
 * option {@code paused=true}); resuming them starts the clock.
 */
public final class OurWorkloads extends Workloads {

  public static void main(String[] args) throws Exception {
    new OurWorkloads().run(args);
  }

  @Override
  String system() {
    return "background-task";
  }

  @Override
  void connect(String url, String user) {
    // The agent connects from its options; pausing a queue no task uses only waits until it has.
    BackgroundTasks.pause("bench-unused-queue");
  }

  @Override
  void enqueueNoOp(int number) {
    NoOpTask.run(number);
  }

  @Override
  void enqueueProbe(long enqueuedAtMicros) {
    LatencyTask.run(enqueuedAtMicros);
  }

  @Override
  void startWorkers() {
    BackgroundTasks.resume();
  }

  @Override
  Optional<ClaimTimes> claimTimes() throws Exception {
    return Optional.of(ClaimTimes.read());
  }
}
