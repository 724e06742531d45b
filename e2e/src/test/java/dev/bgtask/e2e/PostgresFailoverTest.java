package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.ScratchPostgres;
import dev.bgtask.e2e.support.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL primary with a synchronous streaming standby, both made by the test, behind a
 * multi-host URL. Under three draining worker JVMs and a producer that keeps storing, the primary
 * crashes and the standby is promoted.
 */
class PostgresFailoverTest {

  private static final int TASKS = 3_000;
  private static final int RUNNING_SLOTS = 3 * 4;

  @TempDir
  Path directory;

  private ScratchPostgres primary;
  private ScratchPostgres standby;
  private final List<ChildJvm> jvms = new ArrayList<>();

  @AfterEach
  void stopEverything() {
    jvms.forEach(ChildJvm::terminate);
    if (standby != null) {
      standby.destroy();
    }
    if (primary != null) {
      primary.destroy();
    }
  }

  @Test
  void workersFollowThePromotedStandbyAndEveryAcknowledgedTaskRuns() {
    startReplicatedPair();
    List<ChildJvm> workers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      workers.add(start(ChildJvm.in(directory).named("w" + i).jvmOption("-De2e.jvm=w" + i)
          .agent("workers=4,sleep=30s,heartbeat=1s,workerTimeout=4s"), "serve"));
    }
    workers.forEach(ChildJvm::awaitAgentStarted);
    ChildJvm producer = start(ChildJvm.in(directory).named("producer").agent("workers=0"), "store-steadily", String.valueOf(TASKS));
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> results.all().size() >= 600, Duration.ofSeconds(120), () -> "600 runs before the failover; " + producer.describe());

    primary.crash();
    sleep(Duration.ofSeconds(2));
    standby.promote();

    assertEquals(0, producer.awaitExit(Duration.ofSeconds(240)), producer.describe());
    Set<Integer> acknowledged = numbered(producer.stdout(), "acked ");
    assertTrue(acknowledged.size() > TASKS / 2, "most calls were acknowledged: " + acknowledged.size());
    Waiting.until(() -> runsByTask().keySet().containsAll(acknowledged), Duration.ofSeconds(120),
        () -> "every acknowledged task to run; missing " + missing(acknowledged) + "; " + workers.get(0).describe());
    Waiting.until(() -> standby.tables("tasks").count("SELECT COUNT(*) FROM bgtask_task") == 0, Duration.ofSeconds(60),
        () -> "an empty task table on the new primary");

    Map<Integer, List<String>> twice = new TreeMap<>(runsByTask());
    twice.values().removeIf(ranIn -> ranIn.size() == 1);
    System.out.printf("failover: %d calls acknowledged, %d refused while no primary answered, %d tasks ran twice%n",
        acknowledged.size(), numbered(producer.stdout(), "refused ").size(), twice.size());
    assertTrue(twice.size() <= RUNNING_SLOTS, "only runs in flight at the crash ran again: " + twice);
    assertTrue(workers.stream().anyMatch(w -> w.stderr().contains("listening for new tasks again")),
        "LISTEN was issued again on the new primary; " + workers.get(0).describe());
    assertANewTaskWakesTheWorkers();
    workers.forEach(worker -> assertEquals(0, worker.stop(), worker.describe()));
  }

  /** The workers poll twice a minute: a task that runs within seconds was announced by NOTIFY. */
  private void assertANewTaskWakesTheWorkers() {
    ResultLines results = new ResultLines(directory);
    ChildJvm late = start(ChildJvm.in(directory).named("late").agent("workers=0"), "store-one", "999999");
    assertEquals(0, late.awaitExit(Duration.ofSeconds(60)), late.describe());
    Waiting.until(() -> results.startingWith("ledger 999999").size() == 1, Duration.ofSeconds(10),
        () -> "the task stored after the failover to run within 10 s");
  }

  @Test
  void aStandbyAloneStopsTheStartWithOneLine() {
    startReplicatedPair();
    ChildJvm direct = ChildJvm.in(directory).named("standby-direct").environment("BGTASK_URL", standby.url("tasks"))
        .environment("BGTASK_USER", "postgres").run("dev.bgtask.e2e.app.TestApp", "serve");
    assertEquals(1, direct.exitCode(), direct.describe());
    assertEquals(List.of("background-task: the task database at " + standby.url("tasks") + " is a read-only standby:"
        + " point url at the primary, or name every host with targetServerType=primary - the JVM stops because the agent cannot start"),
        direct.stderr().lines().toList());

    String primaryOnly = standby.url("tasks") + "?targetServerType=primary";
    ChildJvm named = ChildJvm.in(directory).named("standby-primary-only").environment("BGTASK_URL", primaryOnly)
        .environment("BGTASK_USER", "postgres").run("dev.bgtask.e2e.app.TestApp", "serve");
    assertEquals(1, named.exitCode(), named.describe());
    List<String> lines = named.stderr().lines().toList();
    assertEquals(1, lines.size(), named.describe());
    assertTrue(lines.get(0).startsWith("background-task: cannot connect to " + primaryOnly), lines.get(0));
    assertTrue(lines.get(0).contains("targetServerType"), lines.get(0));
  }

  private void startReplicatedPair() {
    primary = ScratchPostgres.primary(Map.of("synchronous_standby_names", "'standby1'", "synchronous_commit", "on"));
    standby = primary.standby("standby1");
    Waiting.until(() -> primary.tables("postgres")
        .count("SELECT COUNT(*) FROM pg_stat_replication WHERE application_name = 'standby1' AND sync_state = 'sync'") == 1,
        Duration.ofSeconds(30), () -> "a synchronous standby; " + standby.log());
    primary.execute("postgres", "CREATE DATABASE tasks");
  }

  private ChildJvm start(ChildJvm.Builder builder, String... arguments) {
    String url = "jdbc:postgresql://127.0.0.1:" + primary.port() + ",127.0.0.1:" + standby.port()
        + "/tasks?targetServerType=primary";
    ChildJvm jvm = builder.environment("BGTASK_URL", url).environment("BGTASK_USER", "postgres")
        .start("dev.bgtask.e2e.app.TestApp", arguments);
    jvms.add(jvm);
    return jvm;
  }

  private Map<Integer, List<String>> runsByTask() {
    return new ResultLines(directory).all().stream().collect(Collectors.groupingBy(
        line -> Integer.parseInt(ResultLines.what(line).substring("ledger ".length())), TreeMap::new,
        Collectors.mapping(ResultLines::jvm, Collectors.toList())));
  }

  private Set<Integer> missing(Set<Integer> acknowledged) {
    Set<Integer> missing = new TreeSet<>(acknowledged);
    missing.removeAll(runsByTask().keySet());
    return missing;
  }

  private static Set<Integer> numbered(String output, String prefix) {
    return output.lines().filter(line -> line.startsWith(prefix))
        .map(line -> Integer.parseInt(line.substring(prefix.length()).split("\\D", 2)[0]))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
