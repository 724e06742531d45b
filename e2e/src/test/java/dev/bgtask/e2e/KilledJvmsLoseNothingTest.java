package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.TestDatabase;
import dev.bgtask.e2e.support.Waiting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC §3 and §7: a call that has returned, and every outcome recorded, survive {@code kill -9}
 * and {@code Runtime.halt} of their JVM, on every database, including an H2 file the application
 * names itself (H2 holds commits in memory for half a second unless told otherwise). Each kill is
 * repeated, at random moments, so that a loss in one kill of several cannot pass unseen.
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.bgtask.e2e.support.TestDatabase#underTestWithNamedH2File")
class KilledJvmsLoseNothingTest {

  private static final String FAST_LEASES = "heartbeat=500ms,workerTimeout=2s,sleep=500ms";
  private static final int KILLED_CALLERS = 10;
  private static final int HALTING_ROUNDS = 3;

  @Parameter
  TestDatabase database;

  @TempDir
  Path directory;

  private final long seed = System.nanoTime();
  private final Random random = new Random(seed);

  @AfterEach
  void dropDatabases() {
    database.dropAll();
  }

  @Test
  void callsThatReturnedRunAgainAfterTheirJvmIsKilledWithinTwoSecondsOfThem() throws InterruptedException {
    List<String> kills = new ArrayList<>();
    for (int round = 0; round < KILLED_CALLERS; round++) {
      // Its workers take only its own queue: one call starts at once on its free thread, the other waits for another JVM.
      ChildJvm caller = database.jvm(directory).named("caller-" + round).agent(FAST_LEASES + ",workers=1,queues=here-" + round)
          .jvmOption("-De2e.jvm=caller-" + round).start("dev.bgtask.e2e.app.KilledCallerApp", "call-twice", String.valueOf(round));
      caller.awaitOutput(" elsewhere", Duration.ofSeconds(60));
      long delay = random.nextInt(2_001);
      Thread.sleep(delay);
      caller.kill();
      caller.awaitExit(Duration.ofSeconds(10));
      kills.add("round " + round + " killed " + delay + " ms after its calls returned");
    }

    ChildJvm rescuer = database.jvm(directory).named("rescuer").agent(FAST_LEASES + ",workers=4").start("dev.bgtask.e2e.app.TestApp", "serve");
    ResultLines results = new ResultLines(directory);
    List<String> expected = new ArrayList<>();
    for (int round = 0; round < KILLED_CALLERS; round++) {
      expected.add("hold k" + round + " finished");
      expected.add("ledger " + round);
    }
    Waiting.until(() -> ran(results).keySet().containsAll(expected), Duration.ofSeconds(90),
        () -> "every call that returned to run: missing " + missing(expected, results) + "; " + kills + " (seed " + seed + ")\n"
            + rescuer.describe());
    Thread.sleep(500); // a second run, if any, would show up now
    assertEquals(0, rescuer.stop(), rescuer.describe());

    Map<String, Long> ran = ran(results);
    for (String task : expected) {
      assertEquals(1L, ran.get(task), task + " ran once: " + results.all());
    }
    for (int round = 0; round < KILLED_CALLERS; round++) {
      assertTrue(ran.get("hold k" + round + " started") <= 2, "at most the killed run and the one that finished: " + results.all());
    }
  }

  @Test
  void aTaskThatHaltsItsJvmIsClaimedExactlyItsMaxAttemptsTimes() {
    for (int round = 0; round < HALTING_ROUNDS; round++) {
      Path roundDirectory = directory.resolve("round-" + round);
      createDirectory(roundDirectory);
      ChildJvm first = database.jvm(roundDirectory).named("first").agent(FAST_LEASES + ",workers=1").start("dev.bgtask.e2e.app.TestApp", "halt");
      assertEquals(3, first.awaitExit(Duration.ofSeconds(60)), first.describe());
      ChildJvm second = database.jvm(roundDirectory).named("second").agent(FAST_LEASES + ",workers=1").start("dev.bgtask.e2e.app.TestApp", "serve");
      assertEquals(3, second.awaitExit(Duration.ofSeconds(60)), "claimed it again once the first JVM's lease ran out: " + second.describe());
      ChildJvm third = database.jvm(roundDirectory).named("third").agent(FAST_LEASES + ",workers=1").start("dev.bgtask.e2e.app.TestApp", "serve");
      Waiting.until(() -> third.stderr().contains("1 used up their attempts"), Duration.ofSeconds(60), third::describe);
      assertEquals(0, third.stop(), third.describe());

      assertEquals(2, new ResultLines(roundDirectory).startingWith("halting").size(), "round " + round + ": ran exactly maxAttempts = 2 times");
      List<Map<String, Object>> rows = database.tables(roundDirectory).rows("SELECT outcome, attempts, last_error FROM bgtask_completed_task");
      assertEquals(1, rows.size(), rows.toString());
      assertEquals("FAILED", rows.get(0).get("outcome"));
      assertEquals(2, ((Number) rows.get(0).get("attempts")).intValue());
      assertTrue(((String) rows.get(0).get("last_error")).contains("stopped without finishing it"), rows.toString());
      assertEquals(0, database.tables(roundDirectory).count("SELECT COUNT(*) FROM bgtask_task"));
    }
  }

  @Test
  void everyCallThatReturnedBeforeAKillAmongManyCallersRunsInTheNextJvm() throws Exception {
    Path returned = directory.resolve("returned.txt");
    int killAfter = 50 + random.nextInt(900);
    ChildJvm caller = database.jvm(directory).named("caller").agent("workers=0")
        .start("dev.bgtask.e2e.app.KilledCallerApp", "call-many", returned.toString(), "1000", "4");
    caller.awaitOutput("calling", Duration.ofSeconds(60));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (returnedEntries(returned).size() < killAfter && !caller.stdout().contains("called 1000") && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    caller.kill();
    caller.awaitExit(Duration.ofSeconds(10));
    List<String> returnedBeforeTheKill = returnedEntries(returned);
    assertTrue(returnedBeforeTheKill.size() >= killAfter, "killed after " + killAfter + " calls returned: " + caller.describe());

    ChildJvm rescuer = database.jvm(directory).named("rescuer").agent("workers=4,sleep=200ms").start("dev.bgtask.e2e.app.TestApp", "serve");
    ResultLines results = new ResultLines(directory);
    List<String> expected = returnedBeforeTheKill.stream().map(entry -> "ledger " + entry).toList();
    Waiting.until(() -> ran(results).keySet().containsAll(expected), Duration.ofSeconds(90),
        () -> missing(expected, results).size() + " of the " + expected.size() + " calls that returned before the kill (after "
            + killAfter + ", seed " + seed + ") never ran, e.g. " + missing(expected, results).stream().limit(10).toList() + "\n"
            + rescuer.describe());
    Thread.sleep(500); // a second run, if any, would show up now
    assertEquals(0, rescuer.stop(), rescuer.describe());
    Map<String, Long> ran = ran(results);
    List<String> twice = ran.entrySet().stream().filter(entry -> entry.getValue() > 1).map(Map.Entry::getKey).toList();
    assertEquals(List.of(), twice, "nothing ran twice");
  }

  private static Map<String, Long> ran(ResultLines results) {
    return results.all().stream().map(ResultLines::what).collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  private static List<String> missing(List<String> expected, ResultLines results) {
    List<String> missing = new ArrayList<>(expected);
    missing.removeAll(ran(results).keySet());
    Collections.sort(missing);
    return missing;
  }

  /** The entries the caller wrote once their calls returned; a line cut short by the kill does not count. */
  private static List<String> returnedEntries(Path file) {
    try {
      if (!Files.exists(file)) {
        return List.of();
      }
      String text = Files.readString(file);
      String complete = text.substring(0, text.lastIndexOf('\n') + 1);
      return complete.lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void createDirectory(Path path) {
    try {
      Files.createDirectories(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
