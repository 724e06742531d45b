package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.FreePort;
import dev.bgtask.e2e.support.Http;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.TestDatabase;
import dev.bgtask.e2e.support.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §9: a JVM that ran five tasks that succeeded and one that failed for good reports them the
 * same way in its Prometheus text and through JMX (read from this JVM, which has none of the
 * agent's classes), and answers /health; the health command says UP, and DOWN once a worker
 * that died holding a task has been gone for long.
 */
class MetricsAndHealthTest {

  private static final TestDatabase DATABASE = TestDatabase.POSTGRESQL;

  @TempDir
  Path directory;

  @AfterEach
  void dropDatabases() {
    DATABASE.dropAll();
  }

  @Test
  void prometheusTextAndJmxCountTheSameRunsAndHealthSaysUp() throws Exception {
    int metrics = FreePort.pick();
    int jmx = FreePort.pick();
    ChildJvm app = DATABASE.jvm(directory).named("app").agent("workers=2,metricsPort=" + metrics)
        .jvmOption("-Dcom.sun.management.jmxremote.port=" + jmx).jvmOption("-Dcom.sun.management.jmxremote.rmi.port=" + jmx)
        .jvmOption("-Dcom.sun.management.jmxremote.authenticate=false").jvmOption("-Dcom.sun.management.jmxremote.ssl=false")
        .jvmOption("-Dcom.sun.management.jmxremote.host=127.0.0.1").jvmOption("-Djava.rmi.server.hostname=127.0.0.1")
        .start("dev.bgtask.e2e.app.OperationsApp", "workload");
    app.awaitOutput("serving", Duration.ofSeconds(60));
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> results.startingWith("ledger ").size() == 5 && results.startingWith("doomed").size() == 1,
        Duration.ofSeconds(30), app::describe);

    String url = "http://127.0.0.1:" + metrics + "/metrics";
    Http.awaitServing(url, app);
    Waiting.until(() -> samples(Http.get(url).body()).getOrDefault("bgtask_tasks_succeeded_total{queue=\"default\"}", 0.0) == 5,
        Duration.ofSeconds(10), () -> Http.get(url).body());
    Map<String, Double> scraped = samples(Http.get(url).body());
    assertEquals(5.0, scraped.get("bgtask_tasks_enqueued_total{queue=\"default\"}"));
    assertEquals(5.0, scraped.get("bgtask_tasks_started_total{queue=\"default\"}"));
    assertEquals(5.0, scraped.get("bgtask_task_run_duration_seconds_count{queue=\"default\"}"));
    assertEquals(5.0, scraped.get("bgtask_task_queue_wait_seconds_bucket{queue=\"default\",le=\"+Inf\"}"));
    assertEquals(1.0, scraped.get("bgtask_tasks_failed_total{queue=\"imports\"}"));
    assertEquals(1.0, scraped.get("bgtask_tasks_given_up_total{queue=\"imports\"}"));
    assertEquals(0.0, scraped.get("bgtask_tasks_succeeded_total{queue=\"imports\"}"));
    assertEquals(2.0, scraped.get("bgtask_worker_threads{state=\"busy\"}") + scraped.get("bgtask_worker_threads{state=\"idle\"}"));
    assertEquals(0.0, scraped.get("bgtask_tasks_waiting"));

    try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmx + "/jmxrmi"))) {
      MBeanServerConnection server = connector.getMBeanServerConnection();
      ObjectName queue = new ObjectName("dev.bgtask:type=Queue,name=\"default\"");
      assertEquals(5L, server.getAttribute(queue, "Succeeded"));
      assertEquals(5L, server.getAttribute(queue, "Enqueued"));
      assertEquals(5L, server.getAttribute(queue, "RunTimeCount"));
      long[] buckets = (long[]) server.getAttribute(queue, "RunTimeBucketCounts");
      assertEquals(5L, java.util.Arrays.stream(buckets).sum());
      assertEquals(buckets.length - 1, ((double[]) server.getAttribute(queue, "BucketBoundsSeconds")).length);
      ObjectName imports = new ObjectName("dev.bgtask:type=Queue,name=\"imports\"");
      assertEquals(1L, server.getAttribute(imports, "GivenUp"));
      ObjectName workers = new ObjectName("dev.bgtask:type=Workers");
      assertEquals(2, server.getAttribute(workers, "Threads"));
      assertEquals(0L, server.getAttribute(workers, "TasksWaiting"));
    }

    JsonNode health = new ObjectMapper().readTree(Http.get("http://127.0.0.1:" + metrics + "/health").body());
    assertEquals("UP", health.get("status").asText(), health.toString());
    assertEquals("UP", health.at("/checks/workers/status").asText(), "this JVM's heartbeat and dispatcher: " + health);
    assertEquals(1, health.at("/checks/queue/liveWorkerJvms").asInt(), health.toString());
    ChildJvm command = cli("health", "--json");
    assertEquals(0, command.exitCode(), command.describe());
    assertEquals("UP", new ObjectMapper().readTree(command.stdout()).get("status").asText());
    assertEquals(0, app.stop(), app.describe());
  }

  @Test
  void theHealthCommandSaysDownWhileAWorkerThatDiedStillHoldsItsTask() throws Exception {
    ChildJvm worker = DATABASE.jvm(directory).named("worker").agent("workers=1,heartbeat=500ms,workerTimeout=2s")
        .start("dev.bgtask.e2e.app.OperationsApp", "hold");
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> !results.startingWith("stamp held start").isEmpty(), Duration.ofSeconds(60), worker::describe);
    worker.kill();
    worker.awaitExit(Duration.ofSeconds(10));
    Thread.sleep(5_000); // over twice the worker timeout, and no other worker to reap it

    ChildJvm command = cli("health", "--json");
    assertEquals(1, command.exitCode(), command.describe());
    JsonNode health = new ObjectMapper().readTree(command.stdout());
    assertEquals("DOWN", health.get("status").asText());
    assertEquals(1, health.at("/checks/claims/heldByGoneWorkers").asInt(), health.toString());
    ChildJvm text = cli("health");
    assertEquals(1, text.exitCode());
    assertTrue(text.stdout().startsWith("DOWN"), text.stdout());
  }

  private ChildJvm cli(String... arguments) {
    return DATABASE.jvm(directory).named("cli-" + arguments.length).environment("BGTASK_WORKER_TIMEOUT", "2s")
        .environment("BGTASK_HEARTBEAT", "500ms").runJar(Path.of(ChildJvm.agentJar()), arguments);
  }

  /** Each sample of a Prometheus text: series with labels, and value. */
  static Map<String, Double> samples(String text) {
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
