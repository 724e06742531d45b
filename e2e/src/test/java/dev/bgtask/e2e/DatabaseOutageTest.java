package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.FreePort;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §7: while the database is unreachable workers back off and reconnect; no task is lost. */
class DatabaseOutageTest {

  @TempDir
  Path directory;

  @Test
  void workersRideOutADatabaseThatGoesAwayAndComesBack() throws Exception {
    int port = FreePort.pick();
    String[] serverArguments = {"-tcpPort", Integer.toString(port), "-ifNotExists", "-baseDir", directory.toString()};
    Server server = Server.createTcpServer(serverArguments).start();
    String url = "url=jdbc:h2:tcp://127.0.0.1:" + port + "/tasks";
    try {
      ChildJvm producer = ChildJvm.in(directory).named("producer").agent(url + ",workers=0").run("dev.bgtask.e2e.app.TestApp", "store-slow", "300");
      assertEquals(0, producer.exitCode(), producer.describe());
      ChildJvm worker = ChildJvm.in(directory).named("worker").agent(url + ",workers=2,sleep=200ms").start("dev.bgtask.e2e.app.TestApp", "serve");
      ResultLines results = new ResultLines(directory);
      Waiting.until(() -> results.all().size() >= 20, Duration.ofSeconds(30), worker::describe);

      server.stop();
      Thread.sleep(3_000);
      server = Server.createTcpServer(serverArguments).start();

      Waiting.until(() -> results.all().size() >= 300, Duration.ofSeconds(90), worker::describe);
      Thread.sleep(500);
      assertEquals(0, worker.stop(), worker.describe());
      List<String> ran = results.all().stream().map(ResultLines::what).sorted().toList();
      assertEquals(IntStream.range(0, 300).mapToObj(i -> "ledger " + i).sorted().collect(Collectors.toList()), ran,
          "every task ran, once");
      assertTrue(worker.stderr().contains("cannot reach the task database") || worker.stderr().contains("cannot record its outcome yet"),
          "the outage was noticed: " + worker.describe());
    } finally {
      server.stop();
    }
  }
}
