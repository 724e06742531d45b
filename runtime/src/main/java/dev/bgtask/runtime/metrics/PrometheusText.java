package dev.bgtask.runtime.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * This JVM's figures in the Prometheus text exposition format (version 0.0.4), named after the
 * Prometheus and OpenTelemetry conventions: {@code bgtask_} prefix, units in the name, counters
 * ending in {@code _total}. The format is a few lines of text; a client library would bring a
 * registry of its own beside {@link TaskMetrics} for no gain.
 */
public final class PrometheusText {

  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private PrometheusText() {}

  public static String render(TaskMetrics metrics, WaitingTasks waiting) {
    StringBuilder out = new StringBuilder(4096);
    Map<String, QueueMetrics> queues = new TreeMap<>(metrics.byQueue());
    counter(out, queues, "bgtask_tasks_enqueued_total", "Tasks stored by calls in this JVM.", QueueMetrics::enqueued);
    counter(out, queues, "bgtask_tasks_started_total", "Attempts started by this JVM's workers.", QueueMetrics::started);
    counter(out, queues, "bgtask_tasks_succeeded_total", "Attempts that succeeded.", QueueMetrics::succeeded);
    counter(out, queues, "bgtask_tasks_failed_total", "Attempts that failed, the last attempts of given-up tasks included.",
        QueueMetrics::failed);
    counter(out, queues, "bgtask_tasks_given_up_total", "Tasks that failed their last attempt.", QueueMetrics::gaveUp);
    histogram(out, queues, "bgtask_task_run_duration_seconds", "How long attempts ran.", QueueMetrics::runTime);
    histogram(out, queues, "bgtask_task_queue_wait_seconds", "From a task's due time to the start of its attempt.",
        QueueMetrics::queueWait);
    header(out, "bgtask_worker_threads", "gauge", "This JVM's worker threads, busy or idle.");
    out.append("bgtask_worker_threads{state=\"busy\"} ").append(metrics.busyThreads()).append('\n');
    out.append("bgtask_worker_threads{state=\"idle\"} ").append(metrics.idleThreads()).append('\n');
    WaitingTasks.Snapshot snapshot = waiting.get();
    header(out, "bgtask_tasks_waiting", "gauge", "Tasks due and waiting, across all JVMs (read at most every 5 s).");
    out.append("bgtask_tasks_waiting ").append(snapshot.waiting()).append('\n');
    header(out, "bgtask_tasks_oldest_waiting_age_seconds", "gauge", "How long the oldest task due has waited, across all JVMs.");
    out.append("bgtask_tasks_oldest_waiting_age_seconds ").append(number(snapshot.oldestWaitingSeconds())).append('\n');
    header(out, "bgtask_workers_reaped_total", "counter", "Worker JVMs this JVM found silent and took for dead.");
    out.append("bgtask_workers_reaped_total ").append(metrics.reapedWorkers()).append('\n');
    header(out, "bgtask_claim_duration_seconds", "histogram", "How long this JVM's claims of due tasks took, each one transaction.");
    buckets(out, "bgtask_claim_duration_seconds", "", metrics.claimTime());
    return out.toString();
  }

  private static void counter(StringBuilder out, Map<String, QueueMetrics> queues, String name, String help,
      ToDoubleFunction<QueueMetrics> value) {
    header(out, name, "counter", help);
    queues.forEach((queue, metrics) -> out.append(name).append("{queue=\"").append(escape(TaskMetrics.label(queue))).append("\"} ")
        .append(number(value.applyAsDouble(metrics))).append('\n'));
  }

  private static void histogram(StringBuilder out, Map<String, QueueMetrics> queues, String name, String help,
      java.util.function.Function<QueueMetrics, Histogram> histogram) {
    header(out, name, "histogram", help);
    queues.forEach((queue, metrics) ->
        buckets(out, name, "queue=\"" + escape(TaskMetrics.label(queue)) + "\"", histogram.apply(metrics)));
  }

  /** One histogram's series; {@code labels} is empty or {@code name="value",...}. */
  private static void buckets(StringBuilder out, String name, String labels, Histogram histogram) {
    String prefix = labels.isEmpty() ? "" : labels + ",";
    double[] bounds = histogram.bounds();
    long[] counts = histogram.counts();
    long cumulative = 0;
    for (int i = 0; i < counts.length; i++) {
      cumulative += counts[i];
      String bound = i < bounds.length ? number(bounds[i]) : "+Inf";
      out.append(name).append("_bucket{").append(prefix).append("le=\"").append(bound).append("\"} ").append(cumulative).append('\n');
    }
    String ownLabels = labels.isEmpty() ? "" : "{" + labels + "}";
    out.append(name).append("_sum").append(ownLabels).append(' ').append(number(histogram.sum())).append('\n');
    out.append(name).append("_count").append(ownLabels).append(' ').append(cumulative).append('\n');
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.isFinite(value) ? java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString() : String.format(Locale.ROOT, "%s", value);
  }

  /** Label values escape backslash, double quote and line feed. */
  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
