package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.FreePort;
import dev.bgtask.e2e.support.Http;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.TaskTables;
import dev.bgtask.e2e.support.TestDatabase;
import dev.bgtask.e2e.support.Waiting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §9, in a real browser (Debian's Chromium, driven by playwright-core): tasks in every state on
 * PostgreSQL, two worker JVMs and a read-only dashboard of the command line. The browser opens every
 * page, searches, retries a failed task, cancels a running one, pauses a queue (which a worker in
 * another JVM then leaves alone until it is resumed), switches a schedule off and on, deletes a
 * filtered set; the token and read-only mode refuse what they must. Screenshots go to
 * target/dashboard-screenshots.
 */
class DashboardBrowserTest {

  private static final TestDatabase DATABASE = TestDatabase.POSTGRESQL;
  private static final String TOKEN = "browser-test-token-0123456789";
  private static final String LEASES = "heartbeat=500ms,workerTimeout=3s,sleep=500ms";
  private static final Path BROWSER = Path.of("src", "test", "browser").toAbsolutePath();
  private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots").toAbsolutePath();

  @TempDir
  Path directory;

  private final List<ChildJvm> jvms = new ArrayList<>();
  private ChildJvm readOnly;

  @AfterEach
  void stop() {
    jvms.forEach(ChildJvm::stop);
    if (readOnly != null) {
      readOnly.terminate(); // the dashboard command serves until SIGTERM
      readOnly.awaitExit(Duration.ofSeconds(30));
    }
    DATABASE.dropAll();
  }

  @Test
  void everyPageActionAndRefusalWorksInAHeadlessBrowser() throws Exception {
    int port = FreePort.pick();
    ChildJvm operations = start(DATABASE.jvm(directory).named("operations").jvmOption("-De2e.jvm=operations")
        .agent(LEASES + ",workers=2,queues=slow|imports,dashboard=" + port + ",dashboardToken=" + TOKEN)
        .start("dev.bgtask.e2e.app.OperationsApp", "populate"));
    operations.awaitOutput("serving", Duration.ofSeconds(60));
    ChildJvm mailWorker = start(DATABASE.jvm(directory).named("mail-worker").jvmOption("-De2e.jvm=mail-worker")
        .agent(LEASES + ",workers=2,queues=mail").start("dev.bgtask.e2e.app.TestApp", "serve"));
    mailWorker.awaitAgentStarted();
    TaskTables tables = DATABASE.tables(directory);
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> tables.count("SELECT COUNT(*) FROM bgtask_completed_task WHERE outcome = 'SUCCEEDED'") == 5
        && tables.count("SELECT COUNT(*) FROM bgtask_completed_task WHERE outcome = 'FAILED'") == 1
        && tables.count("SELECT COUNT(*) FROM bgtask_task WHERE claim_token IS NOT NULL") == 1, Duration.ofSeconds(60),
        operations::describe);

    int readOnlyPort = FreePort.pick();
    readOnly = DATABASE.jvm(directory).named("read-only").environment("BGTASK_DASHBOARD_TOKEN", TOKEN)
        .startJar(Path.of(ChildJvm.agentJar()), "dashboard", "--port", String.valueOf(readOnlyPort), "--read-only");
    String base = "http://127.0.0.1:" + port + "/";
    String readOnlyBase = "http://127.0.0.1:" + readOnlyPort + "/";
    Http.awaitServing(readOnlyBase, readOnly);

    JsonNode toured = browse("tour", base, readOnlyBase);
    long cancelled = toured.get("cancelled").asLong();
    long retried = toured.get("retried").asLong();
    Map<String, Object> cancelledRow = tables.rows("SELECT outcome, last_error FROM bgtask_completed_task WHERE id = " + cancelled).get(0);
    assertEquals("FAILED", cancelledRow.get("outcome"));
    assertTrue(((String) cancelledRow.get("last_error")).startsWith("cancelled"), cancelledRow.toString());
    assertEquals(1, results.startingWith("stamp cancel-me end interrupted").size(), "its body was interrupted: " + results.all());
    Waiting.until(() -> results.startingWith("doomed broken.csv attempt").size() == 2, Duration.ofSeconds(30),
        () -> "the retried task " + retried + " ran again: " + results.all());
    assertEquals(1, tables.count("SELECT COUNT(*) FROM bgtask_paused_queue WHERE queue_name = 'mail'"));
    assertEquals(0, tables.count("SELECT COUNT(*) FROM bgtask_task WHERE queue_name = 'parked'"), "the filtered set was deleted");

    ChildJvm producer = DATABASE.jvm(directory).named("producer").agent("workers=0").run("dev.bgtask.e2e.app.OperationsApp", "store-mail", "400");
    assertEquals(0, producer.exitCode(), producer.describe());
    Thread.sleep(4_000); // the mail worker polls every 500 ms and is woken by the NOTIFY
    assertEquals(List.of(), results.startingWith("ledger 400"), "the paused queue's task waits in every JVM");
    browse("resume", base, readOnlyBase);
    Waiting.until(() -> results.startingWith("ledger 400").size() == 1, Duration.ofSeconds(20), mailWorker::describe);
    assertEquals("mail-worker", ResultLines.jvm(results.startingWith("ledger 400").get(0)), "taken by the worker in the other JVM");

    browse("access", base, readOnlyBase);
    for (String page : List.of("overview", "tasks-waiting", "tasks-running", "tasks-failed", "workers", "queues", "recurring", "task",
        "search", "read-only")) {
      assertTrue(Files.size(SCREENSHOTS.resolve(page + ".png")) > 10_000, page + ".png");
    }
  }

  private ChildJvm start(ChildJvm jvm) {
    jvms.add(jvm);
    return jvm;
  }

  /** Runs one phase of dashboard-tour.mjs in Chromium and returns its report. */
  private JsonNode browse(String phase, String base, String readOnlyBase) throws IOException, InterruptedException {
    if (!Files.isDirectory(BROWSER.resolve("node_modules/playwright-core"))) {
      throw new AssertionError("playwright-core is not installed in " + BROWSER + ": run scripts/test.sh, which runs npm ci there");
    }
    if (!Files.isExecutable(Path.of("/usr/bin/chromium"))) {
      throw new AssertionError("/usr/bin/chromium is missing: run scripts/test.sh, which installs Debian's chromium");
    }
    String settings = new ObjectMapper().writeValueAsString(Map.of("phase", phase, "base", base, "readOnlyBase", readOnlyBase,
        "token", TOKEN, "screenshots", SCREENSHOTS.toString()));
    Path output = directory.resolve("browser-" + phase + ".out");
    ProcessBuilder builder = new ProcessBuilder("node", "dashboard-tour.mjs").directory(BROWSER.toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().put("TOUR", settings);
    Process node = builder.start();
    if (!node.waitFor(180, TimeUnit.SECONDS)) {
      node.destroyForcibly();
      throw new AssertionError("the browser's " + phase + " did not end in 180 s: " + Files.readString(output));
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertEquals(0, node.exitValue(), "the browser's " + phase + " failed:\n" + printed + "\n" + jvms.get(0).describe());
    List<String> lines = printed.lines().toList();
    return new ObjectMapper().readTree(lines.get(lines.size() - 1));
  }
}
