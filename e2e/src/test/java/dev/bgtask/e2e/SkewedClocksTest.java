package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.TestDatabase;
import dev.bgtask.e2e.support.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SPEC §3, time: worker JVMs whose wall clocks are 40 s ahead of and 40 s behind the database's
 * (libfaketime) share one database. Only the database's clock decides what is due and who is
 * silent: no live worker is reaped, no task runs twice, and a task stored by the fast JVM is due
 * at once for the others.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
class SkewedClocksTest {

  /** Short leases, with room for a loaded two-core machine: a worker lets go after 4.5 s without a confirmed heartbeat. */
  private static final String LEASES = "heartbeat=500ms,workerTimeout=6s,sleep=1s";
  private static final Duration AHEAD = Duration.ofSeconds(40);
  private static final Duration BEHIND = Duration.ofSeconds(-40);

  @Parameter
  TestDatabase database;

  @TempDir
  Path directory;

  @AfterEach
  void dropDatabases() {
    database.dropAll();
  }

  @Test
  void workersWhoseClocksDifferBy80SecondsShareTheWorkNeverReapEachOtherAndRunEachTaskOnce() throws InterruptedException {
    // The long task runs on the slow clock's JVM: the one a fast clock would take for dead.
    ChildJvm behind = database.jvm(directory).named("behind").clockShiftedBy(BEHIND).jvmOption("-De2e.jvm=behind")
        .agent(LEASES + ",workers=3").start("dev.bgtask.e2e.app.TestApp", "slow", "14");
    behind.awaitOutput("serving", Duration.ofSeconds(60));
    assertClockShifted(behind, BEHIND);
    ChildJvm ahead = database.jvm(directory).named("ahead").clockShiftedBy(AHEAD).jvmOption("-De2e.jvm=ahead")
        .agent(LEASES + ",workers=3").start("dev.bgtask.e2e.app.TestApp", "serve");
    ahead.awaitOutput("serving", Duration.ofSeconds(60));
    assertClockShifted(ahead, AHEAD);
    ChildJvm producer = database.jvm(directory).named("producer").clockShiftedBy(AHEAD).agent("workers=0")
        .run("dev.bgtask.e2e.app.TestApp", "store-slow", "200");
    assertEquals(0, producer.exitCode(), producer.describe());

    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> results.startingWith("ledger ").size() >= 200 && !results.startingWith("slow finished").isEmpty(),
        Duration.ofSeconds(90), () -> ahead.describe() + "\n" + behind.describe());
    Thread.sleep(1_000); // a second run, if any, would show up now
    assertEquals(0, ahead.stop(), ahead.describe());
    assertEquals(0, behind.stop(), behind.describe());

    Map<String, Long> runs = results.all().stream().map(ResultLines::what)
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    for (int i = 0; i < 200; i++) {
      assertEquals(1L, runs.get("ledger " + i), "ledger " + i + " ran once");
    }
    assertEquals(1L, runs.get("slow started"), () -> "the 14 s task of the slow-clock JVM ran once, though 14 s is over twice"
        + " the timeout: " + results.startingWith("slow") + "\n" + ahead.describe() + "\n" + behind.describe());
    Map<String, Long> share = results.startingWith("ledger ").stream()
        .collect(Collectors.groupingBy(ResultLines::jvm, Collectors.counting()));
    assertEquals(2, share.size(), "both JVMs took tasks: " + share);
    for (ChildJvm jvm : List.of(ahead, behind)) {
      assertFalse(jvm.stderr().contains("stopped sending heartbeats"), "no live worker was taken for dead: " + jvm.describe());
      assertFalse(jvm.stderr().contains("could not confirm a heartbeat"), jvm.describe());
    }
    assertEquals(0, database.tables(directory).count("SELECT COUNT(*) FROM bgtask_task"), "nothing left claimed or waiting");
  }

  /** The JVM's clock, as it printed it just now, is {@code shift} off this one's: libfaketime took effect. */
  private static void assertClockShifted(ChildJvm jvm, Duration shift) {
    long now = System.currentTimeMillis();
    java.util.regex.Matcher printed = java.util.regex.Pattern.compile("serving, clock (\\d+)").matcher(jvm.stdout());
    assertTrue(printed.find(), jvm.describe());
    long off = Long.parseLong(printed.group(1)) - now;
    assertTrue(Math.abs(off - shift.toMillis()) < 10_000, "the JVM's clock is " + off + " ms off, not " + shift.toMillis());
  }

  @Test
  void aTaskStoredByAJvmWhoseClockIsFortySecondsAheadStartsAtOnceOnAWorkerWithTheRightTime() {
    ChildJvm worker = database.jvm(directory).named("worker").agent(LEASES + ",workers=2").start("dev.bgtask.e2e.app.TestApp", "serve");
    worker.awaitAgentStarted();
    ResultLines results = new ResultLines(directory);
    for (int i = 0; i < 3; i++) {
      ChildJvm producer = database.jvm(directory).named("producer-" + i).clockShiftedBy(AHEAD).agent("workers=0")
          .run("dev.bgtask.e2e.app.TestApp", "store-one", String.valueOf(i));
      assertEquals(0, producer.exitCode(), producer.describe());
      long stored = System.currentTimeMillis(); // this JVM's clock is the right one, as the worker's
      int expected = i + 1;
      Waiting.until(() -> results.all().size() >= expected, Duration.ofSeconds(30), worker::describe);
      long started = ResultLines.at(results.all().get(i));
      assertTrue(started - stored < 2_000, "task " + i + " started " + (started - stored) + " ms after its producer exited");
    }
    assertEquals(0, worker.stop(), worker.describe());
    List<String> ran = results.all().stream().map(ResultLines::what).toList();
    assertEquals(IntStream.range(0, 3).mapToObj(i -> "ledger " + i).toList(), ran);
  }
}
