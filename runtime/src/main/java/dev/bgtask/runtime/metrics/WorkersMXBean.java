package dev.bgtask.runtime.metrics;

/**
 * This JVM's workers and the tasks waiting across all JVMs, as JMX shows them under
 * {@code dev.bgtask:type=Workers}. The waiting figures come from one query at most every 5 s.
 */
public interface WorkersMXBean {
  int getThreads();
  int getBusyThreads();
  int getIdleThreads();
  long getTasksWaiting();
  double getOldestWaitingSeconds();
  long getReapedWorkers();
  long getClaimCount();
  double getClaimSumSeconds();
  double getClaimP50Seconds();
  double getClaimP99Seconds();
  long[] getClaimBucketCounts();
  double[] getClaimBucketBoundsSeconds();
}
