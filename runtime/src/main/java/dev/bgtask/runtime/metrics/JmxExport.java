package dev.bgtask.runtime.metrics;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.slf4j.LoggerFactory;

/** Registers this JVM's figures as MXBeans on the platform MBean server: one per queue, and one for the workers. */
public final class JmxExport {

  public static final String DOMAIN = "dev.bgtask";

  private JmxExport() {}

  public static void register(TaskMetrics metrics, WaitingTasks waiting) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    register(server, DOMAIN + ":type=Workers", new StandardMBean(new Workers(metrics, waiting), WorkersMXBean.class, true));
    metrics.onEveryQueue(queue -> register(server, DOMAIN + ":type=Queue,name=" + ObjectName.quote(TaskMetrics.label(queue)),
        new StandardMBean(new Queue(queue, metrics.queue(queue)), QueueMXBean.class, true)));
  }

  private static void register(MBeanServer server, String name, StandardMBean bean) {
    try {
      ObjectName objectName = new ObjectName(name);
      if (server.isRegistered(objectName)) {
        server.unregisterMBean(objectName);
      }
      server.registerMBean(bean, objectName);
    } catch (JMException | RuntimeException e) {
      LoggerFactory.getLogger(JmxExport.class).warn("cannot register {} with JMX: {}", name, e.toString());
    }
  }

  private record Workers(TaskMetrics metrics, WaitingTasks waiting) implements WorkersMXBean {
    @Override public int getThreads() { return metrics.threads(); }
    @Override public int getBusyThreads() { return metrics.busyThreads(); }
    @Override public int getIdleThreads() { return metrics.idleThreads(); }
    @Override public long getTasksWaiting() { return waiting.get().waiting(); }
    @Override public double getOldestWaitingSeconds() { return waiting.get().oldestWaitingSeconds(); }
    @Override public long getReapedWorkers() { return metrics.reapedWorkers(); }
    @Override public long getClaimCount() { return metrics.claimTime().count(); }
    @Override public double getClaimSumSeconds() { return metrics.claimTime().sum(); }
    @Override public double getClaimP50Seconds() { return orZero(metrics.claimTime().quantile(0.5)); }
    @Override public double getClaimP99Seconds() { return orZero(metrics.claimTime().quantile(0.99)); }
    @Override public long[] getClaimBucketCounts() { return metrics.claimTime().counts(); }
    @Override public double[] getClaimBucketBoundsSeconds() { return metrics.claimTime().bounds(); }
  }

  private record Queue(String name, QueueMetrics metrics) implements QueueMXBean {
    @Override public String getQueue() { return name; }
    @Override public long getEnqueued() { return metrics.enqueued(); }
    @Override public long getStarted() { return metrics.started(); }
    @Override public long getSucceeded() { return metrics.succeeded(); }
    @Override public long getFailed() { return metrics.failed(); }
    @Override public long getGivenUp() { return metrics.gaveUp(); }
    @Override public long getRunTimeCount() { return metrics.runTime().count(); }
    @Override public double getRunTimeSumSeconds() { return metrics.runTime().sum(); }
    @Override public double getRunTimeP50Seconds() { return orZero(Histogram.quantile(metrics.runTime().counts(), 0.5)); }
    @Override public double getRunTimeP95Seconds() { return orZero(Histogram.quantile(metrics.runTime().counts(), 0.95)); }
    @Override public double getRunTimeP99Seconds() { return orZero(Histogram.quantile(metrics.runTime().counts(), 0.99)); }
    @Override public long[] getRunTimeBucketCounts() { return metrics.runTime().counts(); }
    @Override public long getQueueWaitCount() { return metrics.queueWait().count(); }
    @Override public double getQueueWaitSumSeconds() { return metrics.queueWait().sum(); }
    @Override public double getQueueWaitP50Seconds() { return orZero(Histogram.quantile(metrics.queueWait().counts(), 0.5)); }
    @Override public double getQueueWaitP95Seconds() { return orZero(Histogram.quantile(metrics.queueWait().counts(), 0.95)); }
    @Override public double getQueueWaitP99Seconds() { return orZero(Histogram.quantile(metrics.queueWait().counts(), 0.99)); }
    @Override public long[] getQueueWaitBucketCounts() { return metrics.queueWait().counts(); }
    @Override public double[] getBucketBoundsSeconds() { return Histogram.BOUNDS.clone(); }
  }

  private static double orZero(double value) {
    return Double.isNaN(value) ? 0 : value;
  }
}
