package dev.bgtask.runtime.store;

import java.time.Instant;

/**
 * One worker JVM's runs of one queue in one minute: attempts that succeeded, failed and gave up,
 * and histograms of their run times and queue waits, as bucket counts separated by commas (the
 * buckets of {@code dev.bgtask.runtime.metrics.Histogram}).
 */
public final class MinuteStats {

  private String workerId;
  private Instant minuteStart;
  private String queueName;
  private long succeeded;
  private long failed;
  private long gaveUp;
  private String runSeconds;
  private String waitSeconds;

  MinuteStats() {}

  public MinuteStats(String workerId, Instant minuteStart, String queueName, long succeeded, long failed, long gaveUp,
      String runSeconds, String waitSeconds) {
    this.workerId = workerId;
    this.minuteStart = minuteStart;
    this.queueName = queueName;
    this.succeeded = succeeded;
    this.failed = failed;
    this.gaveUp = gaveUp;
    this.runSeconds = runSeconds;
    this.waitSeconds = waitSeconds;
  }

  public String getWorkerId() { return workerId; }
  public Instant getMinuteStart() { return minuteStart; }
  public String getQueueName() { return queueName; }
  public long getSucceeded() { return succeeded; }
  public long getFailed() { return failed; }
  public long getGaveUp() { return gaveUp; }
  public String getRunSeconds() { return runSeconds; }
  public String getWaitSeconds() { return waitSeconds; }
}
