package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.TaskTables;
import dev.bgtask.e2e.support.Waiting;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The application's own Jackson annotations shape what is stored and how it is read back, whichever
 * Jackson the application carries (2.9, the suite's usual 2.17, the newest 2.x, or only
 * jackson-annotations with no Jackson of its own), while the agent's Jackson stays hidden; a
 * {@code @JsonTypeInfo} argument is refused at the call.
 */
class JacksonAnnotationsTest {

  private static final String STORED =
      "[{\"e_mail\":\"ann@example.com\",\"birthday\":\"04.12.1990\",\"amountCents\":\"1250\"},\"SKU-1\",\"express\"]";

  @ParameterizedTest(name = "application on {0}")
  @ValueSource(strings = {"2.9", "usual", "newest", "newest annotations only"})
  void theApplicationsAnnotationsAreHonouredBothWays(String jackson, @org.junit.jupiter.api.io.TempDir Path directory)
      throws InterruptedException {
    String classpath = classpathWith(jackson);
    ChildJvm caller = ChildJvm.in(directory).named("caller").classpath(classpath).agent("workers=0")
        .run("dev.bgtask.e2e.app.JacksonAnnotationsApp", "call");
    assertEquals(0, caller.exitCode(), caller.describe());
    assertTrue(caller.stdout().contains("application Jackson annotations " + expectedVersions(jackson)), caller.describe());
    String refusal = caller.stdout().lines().filter(line -> line.startsWith("refused: ")).findFirst()
        .orElseThrow(() -> new AssertionError("the @JsonTypeInfo argument was not refused: " + caller.describe()));
    assertTrue(refusal.contains("dev.bgtask.e2e.app.Accounts.charge") && refusal.contains("@JsonTypeInfo"), refusal);

    TaskTables tables = new TaskTables(directory);
    List<java.util.Map<String, Object>> rows = tables.rows("SELECT method_name, arguments FROM bgtask_task");
    assertEquals(1, rows.size(), "only the call without @JsonTypeInfo was stored: " + rows);
    assertEquals(STORED, rows.get(0).get("arguments"), "renamed, formatted, the @JsonIgnore password left out");

    ChildJvm worker = ChildJvm.in(directory).named("worker").classpath(classpath).agent("workers=1")
        .start("dev.bgtask.e2e.app.JacksonAnnotationsApp", "serve");
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> !results.all().isEmpty(), Duration.ofSeconds(60), worker::describe);
    Thread.sleep(300);
    assertEquals(0, worker.stop(), worker.describe());
    assertEquals(List.of("registered email=ann@example.com password=null birthday=1990-12-04 amountCents=1250 sku=Sku(SKU-1) delivery=EXPRESS"),
        results.all().stream().map(ResultLines::what).toList(), "read back through the creator and the factory");
    assertEquals(1, tables.count("SELECT COUNT(*) FROM bgtask_completed_task WHERE outcome = 'SUCCEEDED'"), worker.describe());
  }

  private static String expectedVersions(String jackson) {
    return switch (jackson) {
      case "2.9" -> "2.9.10, databind 2.9.10";
      case "usual" -> "2.17.2, databind 2.17.2";
      case "newest" -> "2.23, databind 2.23.0";
      default -> "2.23, databind absent";
    };
  }

  /** The test applications' class path with its Jackson replaced by {@code jackson}'s jars. */
  private static String classpathWith(String jackson) {
    String usual = System.getProperty("bgtask.e2e.appClasspath");
    if (jackson.equals("usual")) {
      return usual;
    }
    List<String> entries = new ArrayList<>(Arrays.stream(usual.split(File.pathSeparator))
        .filter(entry -> !entry.contains("com" + File.separator + "fasterxml" + File.separator + "jackson")).toList());
    Path jars = Path.of(System.getProperty("bgtask.e2e.applicationJackson"), jackson.startsWith("newest") ? "newest" : jackson);
    try (Stream<Path> files = Files.list(jars)) {
      files.map(Path::toString).filter(jar -> !jackson.endsWith("annotations only") || jar.contains("jackson-annotations"))
          .forEach(entries::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return String.join(File.pathSeparator, entries);
  }
}
