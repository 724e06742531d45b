package dev.bgtask.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.runtime.store.InMemoryDatabase;
import dev.bgtask.runtime.store.TaskBrowser;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  @Test
  void writesCountersAndCumulativeHistogramsByQueueInTheTextFormat() {
    TaskMetrics metrics = new TaskMetrics();
    metrics.enqueued("mail");
    metrics.enqueued("mail");
    metrics.started("mail", 0.002);
    metrics.finished("mail", TaskMetrics.Outcome.SUCCEEDED, 0.03);
    metrics.started("", 0);
    metrics.finished("", TaskMetrics.Outcome.GAVE_UP, 2);
    metrics.started("we\"ird\\q", 0);
    metrics.readThreadsFrom(() -> 4, () -> 1);
    metrics.claimed(0.0003);
    metrics.claimed(0.004);
    var database = InMemoryDatabase.migrated();
    try {
      String text = PrometheusText.render(metrics, new WaitingTasks(new TaskBrowser(database), Clock.systemUTC()));
      Map<String, Double> samples = samples(text);
      assertEquals(2.0, samples.get("bgtask_tasks_enqueued_total{queue=\"mail\"}"));
      assertEquals(1.0, samples.get("bgtask_tasks_failed_total{queue=\"default\"}"), "the default queue is labelled default");
      assertEquals(1.0, samples.get("bgtask_tasks_given_up_total{queue=\"default\"}"));
      assertEquals(0.0, samples.get("bgtask_task_run_duration_seconds_bucket{queue=\"mail\",le=\"0.025\"}"));
      assertEquals(1.0, samples.get("bgtask_task_run_duration_seconds_bucket{queue=\"mail\",le=\"0.05\"}"));
      assertEquals(1.0, samples.get("bgtask_task_run_duration_seconds_bucket{queue=\"mail\",le=\"+Inf\"}"), "cumulative");
      assertEquals(1.0, samples.get("bgtask_task_run_duration_seconds_count{queue=\"mail\"}"));
      assertEquals(1.0, samples.get("bgtask_worker_threads{state=\"busy\"}"));
      assertEquals(3.0, samples.get("bgtask_worker_threads{state=\"idle\"}"));
      assertEquals(0.0, samples.get("bgtask_tasks_waiting"));
      assertEquals(0.0, samples.get("bgtask_claim_duration_seconds_bucket{le=\"0.0002\"}"), "claims have buckets below a millisecond");
      assertEquals(1.0, samples.get("bgtask_claim_duration_seconds_bucket{le=\"0.0005\"}"));
      assertEquals(2.0, samples.get("bgtask_claim_duration_seconds_bucket{le=\"0.005\"}"));
      assertEquals(2.0, samples.get("bgtask_claim_duration_seconds_count"));
      assertEquals(0.0043, samples.get("bgtask_claim_duration_seconds_sum"), 1e-9);
      assertTrue(samples.containsKey("bgtask_tasks_started_total{queue=\"we\\\"ird\\\\q\"}"), "label values are escaped: " + text);
      assertTrue(text.contains("# TYPE bgtask_task_queue_wait_seconds histogram"));
    } finally {
      database.close();
    }
  }

  /** Each sample line as series name with labels, and value. */
  private static Map<String, Double> samples(String text) {
    Map<String, Double> samples = new HashMap<>();
    for (String line : text.split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        int space = line.lastIndexOf(' ');
        samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    return samples;
  }
}
