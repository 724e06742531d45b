package dev.bgtask.bench.throughput;

/** The job methods JobRunr's lambdas name; without the agent in JobRunr's JVM the bodies are plain calls. */
public final class JobRunrJobs {

  private JobRunrJobs() {}

  public static void noOp(int number) {
    NoOpTask.run(number);
  }

  public static void probe(long enqueuedAtMicros) {
    LatencyTask.run(enqueuedAtMicros);
  }
}
