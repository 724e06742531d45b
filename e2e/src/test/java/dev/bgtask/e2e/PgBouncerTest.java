package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.PgBouncer;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.TestDatabase;
import dev.bgtask.e2e.support.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker JVMs reach PostgreSQL through Debian's pgbouncer, started by the test with fewer server
 * connections than the JVMs' pools hold. Session mode needs no setting; transaction mode needs
 * {@code pooler=transaction}, and hears of new tasks on {@code listenUrl} or polls.
 */
class PgBouncerTest {

  private static final int TASKS = 2_000;
  private static final int SERVER_CONNECTIONS = 3;

  @TempDir
  Path directory;

  private final TestDatabase postgres = TestDatabase.POSTGRESQL;
  private PgBouncer bouncer;
  private final List<ChildJvm> jvms = new ArrayList<>();

  @AfterEach
  void stopEverything() {
    jvms.forEach(ChildJvm::terminate);
    if (bouncer != null) {
      bouncer.close();
    }
    postgres.dropAll();
  }

  @Test
  void sessionModeNeedsNoSetting() {
    bouncer = PgBouncer.start("session", 5432, 40);
    List<ChildJvm> workers = startWorkers(2, "sleep=1s");
    storeTasks("");
    awaitDrained(workers);
    assertEachTaskRanOnce();
    workers.forEach(worker -> assertFalse(worker.stderr().contains("pooler"), worker.describe()));
    stopAll(workers);
  }

  /**
   * The workers start first, through the pooler (so they also create the tables through it), and
   * poll only once a minute: tasks stored afterwards run at once only because the listener on
   * {@code listenUrl}, around the pooler, hears of them.
   */
  @Test
  void transactionModeHearsNewTasksOnTheListenUrl() {
    bouncer = PgBouncer.start("transaction", 5432, SERVER_CONNECTIONS);
    String options = "pooler=transaction,sleep=60s,listenUrl=" + directUrl();
    List<ChildJvm> workers = startWorkers(2, options);
    workers.forEach(worker -> assertTrue(worker.stderr().contains("workers hear of new tasks on listenUrl " + directUrl()),
        worker.describe()));
    waitUntilIdle();
    storeTasks(options);
    awaitDrained(workers);
    assertEachTaskRanOnce();
    assertCommandsWorkThroughThePooler();
    assertNoTroubleReported(workers);
    stopAll(workers);
  }

  @Test
  void transactionModeWithoutListenUrlPolls() {
    bouncer = PgBouncer.start("transaction", 5432, SERVER_CONNECTIONS);
    List<ChildJvm> workers = startWorkers(2, "pooler=transaction,sleep=1s");
    workers.forEach(worker -> assertTrue(worker.stderr().contains(
        "pooler=transaction and no listenUrl: idle workers look for new tasks every 1000 ms"), worker.describe()));
    storeTasks("pooler=transaction");
    awaitDrained(workers);
    assertEachTaskRanOnce();
    assertNoTroubleReported(workers);
    stopAll(workers);
  }

  /** Without the setting, pgjdbc's prepared statements meet other server connections: the error says what to set. */
  @Test
  void transactionModeWithoutTheSettingIsNamedInTheError() {
    bouncer = PgBouncer.start("transaction", 5432, SERVER_CONNECTIONS);
    ChildJvm first = jvm("w0").agent("workers=4,sleep=1s").start("dev.bgtask.e2e.app.TestApp", "serve");
    ChildJvm second = jvm("w1").agent("workers=4,sleep=1s").start("dev.bgtask.e2e.app.TestApp", "serve");
    jvms.addAll(List.of(first, second));
    ChildJvm producer = jvm("producer").agent("workers=0").start("dev.bgtask.e2e.app.TestApp", "store", String.valueOf(TASKS));
    jvms.add(producer);
    List<ChildJvm> all = List.of(first, second, producer);
    Waiting.until(() -> !lostStatementLines(all).isEmpty(), Duration.ofSeconds(60),
        () -> "the agent reporting a prepared statement lost by the pooler; " + first.describe());
    lostStatementLines(all).forEach(line -> assertTrue(
        line.contains("(a transaction-mode pooler such as pgbouncer is in between: set pooler=transaction)"), line));
  }

  /** The agent's own lines (not stack traces) about pgjdbc's statements S_1, S_2... */
  private static List<String> lostStatementLines(List<ChildJvm> jvms) {
    return jvms.stream().flatMap(jvm -> jvm.stderr().lines())
        .filter(line -> line.startsWith("[bgtask]") || line.startsWith("background-task:"))
        .filter(line -> line.contains("prepared statement \"S_"))
        .toList();
  }

  private void assertCommandsWorkThroughThePooler() {
    ChildJvm list = cli("list", "--state", "succeeded");
    assertEquals(0, list.exitCode(), list.describe());
    ChildJvm purge = cli("purge", "--older-than", "0");
    assertEquals(0, purge.exitCode(), purge.describe());
    ChildJvm health = cli("health");
    assertEquals(0, health.exitCode(), health.describe());
  }

  private ChildJvm cli(String... arguments) {
    return ChildJvm.in(directory).named("cli-" + arguments[0])
        .environment("BGTASK_URL", bouncer.url(databaseName())).environment("BGTASK_USER", "postgres")
        .environment("BGTASK_POOLER", "transaction")
        .runJar(Path.of(ChildJvm.agentJar()), arguments);
  }

  private List<ChildJvm> startWorkers(int count, String options) {
    List<ChildJvm> workers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ChildJvm worker = jvm("w" + i).jvmOption("-De2e.jvm=w" + i)
          .agent("workers=4,heartbeat=1s,workerTimeout=4s," + options).start("dev.bgtask.e2e.app.TestApp", "serve");
      workers.add(worker);
      jvms.add(worker);
    }
    workers.forEach(ChildJvm::awaitAgentStarted);
    return workers;
  }

  private void storeTasks(String options) {
    ChildJvm producer = jvm("producer").agent("workers=0" + (options.isEmpty() ? "" : "," + options))
        .start("dev.bgtask.e2e.app.TestApp", "store", String.valueOf(TASKS));
    jvms.add(producer);
    assertEquals(0, producer.awaitExit(Duration.ofSeconds(120)), producer.describe());
  }

  private ChildJvm.Builder jvm(String name) {
    return ChildJvm.in(directory).named(name)
        .environment("BGTASK_URL", bouncer.url(databaseName())).environment("BGTASK_USER", "postgres");
  }

  /** Lets the workers' first look for work, at start, pass: from then on only a notification wakes them. */
  private static void waitUntilIdle() {
    try {
      Thread.sleep(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitDrained(List<ChildJvm> workers) {
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> results.all().size() >= TASKS, Duration.ofSeconds(30),
        () -> TASKS + " runs within 30 s; " + workers.get(0).describe() + "\n" + bouncer.log());
    Waiting.until(() -> postgres.tables(directory).count("SELECT COUNT(*) FROM bgtask_task") == 0, Duration.ofSeconds(30),
        () -> "an empty task table");
  }

  private void assertEachTaskRanOnce() {
    Map<String, List<String>> runs = new ResultLines(directory).all().stream()
        .collect(Collectors.groupingBy(ResultLines::what, TreeMap::new, Collectors.mapping(ResultLines::jvm, Collectors.toList())));
    assertEquals(TASKS, runs.size(), "every task ran");
    runs.values().removeIf(ranIn -> ranIn.size() == 1);
    assertEquals(Map.of(), runs, "no task ran twice");
  }

  /** Nothing went wrong on the way: a pooler that lost a prepared statement or a lock would show here. */
  private static void assertNoTroubleReported(List<ChildJvm> workers) {
    for (ChildJvm worker : workers) {
      List<String> trouble = worker.stderr().lines()
          .filter(line -> line.contains("WARN") || line.contains("ERROR") || line.contains("Exception"))
          .filter(line -> !line.contains("pooler=transaction"))
          .toList();
      assertEquals(List.of(), trouble, worker.describe());
    }
  }

  private static void stopAll(List<ChildJvm> workers) {
    workers.forEach(worker -> assertEquals(0, worker.stop(), worker.describe()));
  }

  private String directUrl() {
    return postgres.url(directory);
  }

  private String databaseName() {
    String url = directUrl();
    return url.substring(url.lastIndexOf('/') + 1);
  }
}
