package dev.bgtask.runtime.metrics;

/**
 * One queue's figures in this JVM since it started, as JMX shows them under
 * {@code dev.bgtask:type=Queue,name="<queue>"}. Only JDK types: a JMX client needs none of the
 * agent's classes. Histogram buckets are counts per bucket (not cumulative), with upper bounds in
 * {@link #getBucketBoundsSeconds}; the last bucket takes everything above the last bound.
 */
public interface QueueMXBean {
  String getQueue();
  long getEnqueued();
  long getStarted();
  long getSucceeded();
  /** Failed attempts, the last attempts of given-up tasks included. */
  long getFailed();
  long getGivenUp();
  long getRunTimeCount();
  double getRunTimeSumSeconds();
  double getRunTimeP50Seconds();
  double getRunTimeP95Seconds();
  double getRunTimeP99Seconds();
  long[] getRunTimeBucketCounts();
  long getQueueWaitCount();
  double getQueueWaitSumSeconds();
  double getQueueWaitP50Seconds();
  double getQueueWaitP95Seconds();
  double getQueueWaitP99Seconds();
  long[] getQueueWaitBucketCounts();
  double[] getBucketBoundsSeconds();
}
