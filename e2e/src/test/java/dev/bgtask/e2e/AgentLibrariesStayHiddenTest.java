package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §8: the application keeps its own Jackson and Logback; the agent's logging ignores the application's configuration. */
class AgentLibrariesStayHiddenTest {

  @TempDir
  Path directory;

  @ParameterizedTest(name = "logback.configurationFile pointed at the application''s file: {0}")
  @ValueSource(booleans = {false, true})
  void applicationWithItsOwnJacksonAndLogbackRunsUnchanged(boolean configurationFileProperty) throws Exception {
    ChildJvm.Builder builder = ChildJvm.in(directory).agent("workers=1");
    if (configurationFileProperty) {
      Path appConfig = Path.of(ClassLoader.getSystemResource("logback.xml").toURI());
      builder.jvmOption("-Dlogback.configurationFile=" + appConfig);
    }
    ChildJvm app = builder.start("dev.bgtask.e2e.app.IsolationApp");
    app.awaitOutput("enqueued", Duration.ofSeconds(30));
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> !results.all().isEmpty(), Duration.ofSeconds(30), app::describe);
    assertEquals(0, app.stop(), app.describe());

    String out = app.stdout();
    assertTrue(out.contains("app jackson 2.17.2"), "the application sees its own Jackson: " + out);
    assertTrue(out.contains("app logback 1.4.14"), "the application sees its own Logback: " + out);
    for (String hidden : List.of("net.bytebuddy.ByteBuddy", "com.zaxxer.hikari.HikariDataSource",
        "org.apache.ibatis.session.SqlSession", "dev.bgtask.runtime.Engine", "com.cronutils.parser.CronParser", "picocli.CommandLine")) {
      assertTrue(out.contains("visible " + hidden + " false"), hidden + " must be invisible to the application: " + out);
    }
    assertTrue(out.contains("APPLOG IsolationApp application started"), "the application's logback.xml applies to it: " + out);
    assertTrue(out.contains("APPLOG IsolationApp task body ran with {\"order\":42}"), "and to its task bodies: " + out);
    assertTrue(ResultLines.what(results.all().get(0)).equals("isolation task 2.17.2"), "task bodies see the application's Jackson");

    List<String> agentLines = app.agentErrorLines();
    assertFalse(agentLines.isEmpty());
    for (String line : agentLines) {
      assertTrue(line.startsWith("[bgtask] "), "the agent logs in its own format only: " + line);
    }
    assertFalse(out.contains("APPLOG Engine") || out.contains("APPLOG WorkerPool") || out.contains("bgtask-agent"),
        "no agent log line follows the application's configuration: " + out);
  }
}
