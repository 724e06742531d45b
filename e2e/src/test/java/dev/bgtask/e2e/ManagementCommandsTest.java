package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.TaskTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §5: list, show, retry, run-now, release, delete and purge, end to end, their --json output parsed. */
class ManagementCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path directory;

  @Test
  void eachCommandWorksOnTheTaskDatabaseAndAnswersInJson() throws Exception {
    ChildJvm setup = ChildJvm.in(directory).named("setup").agent("workers=1").run("dev.bgtask.e2e.app.TestApp", "cli-setup");
    assertEquals(0, setup.exitCode(), setup.describe());

    JsonNode all = json("list", "--json");
    assertEquals(List.of("pending", "failed", "succeeded"), field(all, "state"), all.toString());
    long pending = all.get(0).get("id").asLong();
    long failed = all.get(1).get("id").asLong();
    assertEquals("later", all.get(0).get("queue_name").asText());

    assertEquals(List.of("failed"), field(json("list", "--state", "failed", "--json"), "state"));
    assertEquals(1, json("list", "--queue", "later", "--json").size());
    assertEquals(2, json("list", "--name", "dev.bgtask.e2e.app.Ledger.post", "--json").size());

    JsonNode shown = json("show", Long.toString(failed), "--json");
    assertTrue(shown.get("last_error").asText().startsWith("java.lang.IllegalStateException: feed x is malformed"), shown.toString());
    assertEquals("[\"x\"]", shown.get("arguments").asText());

    assertEquals("retried", json("retry", Long.toString(failed), "--json").get("action").asText());
    JsonNode retried = json("show", Long.toString(failed), "--json");
    assertEquals("pending", retried.get("state").asText());
    assertEquals(0, retried.get("attempts").asInt());

    assertEquals("due-now", json("run-now", Long.toString(pending), "--json").get("action").asText());
    assertEquals("deleted", json("delete", Long.toString(pending), "--json").get("action").asText());
    assertEquals(1, json("purge", "--json").get("count").asInt(), "the succeeded task");
    assertEquals(List.of("pending"), field(json("list", "--json"), "state"), "only the retried task is left");

    // What a JVM that died holding a claim leaves behind, until the reaper or the release command frees it.
    new TaskTables(directory).execute("UPDATE bgtask_task SET claim_token = 'left-by-a-dead-jvm', claimed_by = 'gone:1:dead'");
    assertEquals(List.of("running"), field(json("list", "--json"), "state"));
    assertEquals("released", json("release", Long.toString(failed), "--json").get("action").asText());
    assertEquals(List.of("pending"), field(json("list", "--json"), "state"));
    ChildJvm notRunning = cli("release", Long.toString(failed));
    assertEquals(1, notRunning.exitCode());
    assertTrue(notRunning.stderr().contains("no running task " + failed + " whose worker is gone"), notRunning.describe());

    ChildJvm refused = cli("retry", "999");
    assertEquals(1, refused.exitCode());
    assertTrue(refused.stderr().contains("background-task: no failed task 999"), refused.describe());
    ChildJvm misspelt = cli("lisst");
    assertEquals(2, misspelt.exitCode());
    assertTrue(misspelt.stderr().contains("Did you mean"), misspelt.describe());
    ChildJvm text = cli("list");
    assertTrue(text.stdout().lines().findFirst().orElse("").startsWith("ID       STATE"), text.describe());
  }

  private JsonNode json(String... arguments) throws Exception {
    ChildJvm run = cli(arguments);
    assertEquals(0, run.exitCode(), run.describe());
    return JSON.readTree(run.stdout());
  }

  private int runs;

  private ChildJvm cli(String... arguments) {
    return ChildJvm.in(directory).named("cli-" + runs++)
        .jvmOption("-Dbgtask.url=jdbc:h2:file:" + directory.resolve("background-tasks"))
        .runJar(Path.of(ChildJvm.agentJar()), arguments);
  }

  private static List<String> field(JsonNode array, String name) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.get(name).asText()));
    return values;
  }
}
