package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.CuttableLink;
import dev.bgtask.e2e.support.LocalPostgres;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.TestDatabase;
import dev.bgtask.e2e.support.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §3 and §7: three worker JVMs drain 10,000 tasks and six long ones from PostgreSQL while
 * the database is out of their reach for twice the worker timeout: two of them cut off (their
 * links cut, the third one reaps them and runs their tasks), or all three (the server stopped).
 * A JVM that cannot confirm its heartbeat lets go of its lease before anyone may reap it, so no
 * task is lost, none is left claimed, and no two runs of a long task overlap.
 */
class CutOffWorkersTest {

  private static final TestDatabase DATABASE = TestDatabase.POSTGRESQL;
  private static final String LEASES = "heartbeat=500ms,workerTimeout=3s,sleep=500ms,workers=4";
  private static final int TASKS = 10_000;
  private static final int LONG_TASKS = 6;

  @TempDir
  Path directory;

  @AfterEach
  void dropDatabases() {
    LocalPostgres.start(); // whatever happened above, the server is up for the next test
    DATABASE.dropAll();
  }

  @Test
  void twoWorkersCutOffForTwiceTheTimeoutLetGoBeforeTheThirdRunsTheirTasks() throws Exception {
    try (CuttableLink first = new CuttableLink(5432); CuttableLink second = new CuttableLink(5432)) {
      List<ChildJvm> workers = drainThrough(List.of(first, second), () -> {
        first.cut();
        second.cut();
        sleep(6_000);
        first.restore();
        second.restore();
      });
      assertTrue(workers.get(2).stderr().contains("stopped sending heartbeats"), "the third reaped the others: " + describe(workers));
    }
  }

  @Test
  void theServerStoppedForTwiceTheTimeoutUnderThreeDrainingWorkersLosesNothingAndLeavesNothingClaimed() throws Exception {
    drainThrough(List.of(), () -> {
      LocalPostgres.stop();
      sleep(6_000);
      LocalPostgres.start();
    });
  }

  /**
   * Two workers (through {@code links}, if given) take the long tasks; then a third, with its
   * threads free, joins for the quick ones. {@code outage} runs while all of them run, then every
   * run is checked.
   */
  private List<ChildJvm> drainThrough(List<CuttableLink> links, Runnable outage) throws Exception {
    List<ChildJvm> workers = new ArrayList<>();
    workers.add(worker(0, links));
    workers.add(worker(1, links));
    store("store-long", String.valueOf(LONG_TASKS), "15");
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> results.startingWith("stamp long-").size() >= LONG_TASKS, Duration.ofSeconds(60), () -> describe(workers));
    workers.add(worker(2, links));
    store("store-slow", String.valueOf(TASKS));

    outage.run();

    Waiting.until(() -> ran(results).keySet().containsAll(expected()), Duration.ofSeconds(180),
        () -> "missing " + missing(results).size() + " e.g. " + missing(results).stream().limit(5).toList() + "\n" + describe(workers));
    Thread.sleep(1_000);
    for (ChildJvm worker : workers) {
      assertEquals(0, worker.stop(), worker.describe());
    }

    assertEquals(0, DATABASE.tables(directory).count("SELECT COUNT(*) FROM bgtask_task"), "nothing left waiting or claimed");
    for (int i = 0; i < LONG_TASKS; i++) {
      assertRunsNeverOverlap(results, "long-" + i);
    }
    JsonNode running = new ObjectMapper().readTree(DATABASE.jvm(directory).named("cli")
        .runJar(Path.of(ChildJvm.agentJar()), "list", "--state", "running", "--json").stdout());
    assertEquals(0, running.size(), "no task claimed by a worker that is gone: " + running);
    assertTrue(workers.stream().anyMatch(worker -> worker.stderr().contains("could not confirm a heartbeat")),
        () -> results.startingWith("stamp ") + "\n" + describe(workers));
    return workers;
  }

  /** Worker {@code i}, through {@code links.get(i)} when there is one. */
  private ChildJvm worker(int i, List<CuttableLink> links) {
    ChildJvm.Builder builder = DATABASE.jvm(directory).named("worker-" + i).jvmOption("-De2e.jvm=worker-" + i).agent(LEASES);
    if (i < links.size()) {
      builder.environment("BGTASK_URL", links.get(i).through(DATABASE.url(directory)));
    }
    ChildJvm worker = builder.start("dev.bgtask.e2e.app.TestApp", "serve");
    worker.awaitAgentStarted();
    return worker;
  }

  private void store(String... scenario) {
    ChildJvm producer = DATABASE.jvm(directory).named("producer-" + scenario[0]).agent("workers=0").run("dev.bgtask.e2e.app.TestApp", scenario);
    assertEquals(0, producer.exitCode(), producer.describe());
  }

  /** Each run's start and end stamps, in time order, never interleave with another run's. */
  private static void assertRunsNeverOverlap(ResultLines results, String key) {
    List<String> stamps = results.startingWith("stamp " + key + " ");
    int running = 0;
    for (String stamp : stamps.stream().sorted(java.util.Comparator.comparingLong(ResultLines::at)).toList()) {
      running += ResultLines.what(stamp).endsWith(" start") ? 1 : -1;
      assertTrue(running <= 1, key + " ran twice at once: " + stamps);
    }
    assertTrue(stamps.stream().anyMatch(stamp -> stamp.startsWith("stamp " + key + " end done")), key + " finished: " + stamps);
  }

  private static Set<String> expected() {
    Set<String> expected = IntStream.range(0, TASKS).mapToObj(i -> "ledger " + i).collect(Collectors.toSet());
    IntStream.range(0, LONG_TASKS).forEach(i -> expected.add("stamp long-" + i + " end done"));
    return expected;
  }

  private static Map<String, Long> ran(ResultLines results) {
    return results.all().stream().map(ResultLines::what).collect(Collectors.groupingBy(what -> what, TreeMap::new, Collectors.counting()));
  }

  private static List<String> missing(ResultLines results) {
    List<String> missing = new ArrayList<>(expected());
    missing.removeAll(ran(results).keySet());
    return missing;
  }

  private static String describe(List<ChildJvm> workers) {
    return workers.stream().map(ChildJvm::describe).collect(Collectors.joining("\n"));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
