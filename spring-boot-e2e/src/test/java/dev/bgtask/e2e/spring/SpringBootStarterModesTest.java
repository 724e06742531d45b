package dev.bgtask.e2e.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The starter without the agent (one warning; the methods run in their callers) and under
 * devtools, whose restart reloads the application's classes: tasks go on running, with the
 * reloaded classes and the new context's beans.
 */
class SpringBootStarterModesTest {

  @TempDir
  Path directory;

  @Test
  void withoutTheAgentTheStarterWarnsOnceAndTheMethodsRunInTheirCallers() throws IOException {
    ShopJvm shop = ShopJvm.start(directory, "shop", null, Map.of(), List.of(h2()), null);
    try {
      shop.awaitStarted(1);
      long order = SpringBootStarterTest.placed(shop.post("/orders?customer=hal"));
      String receipt = results().filter(line -> line.startsWith("receipt " + order)).findFirst().orElseThrow();
      assertTrue(SpringBootStarterTest.thread(receipt).startsWith("http-nio-"), "run in the request's thread: " + receipt);
      assertEquals(1, shop.output().split("the agent is not attached", -1).length - 1, shop.output());
    } finally {
      shop.stop();
    }
  }

  @Test
  void aDevtoolsRestartKeepsTasksRunningWithTheReloadedClasses() throws IOException {
    Path classes = directory.resolve("classes");
    copy(Path.of(System.getProperty("bgtask.e2e.classes")), classes);
    String classPath = classes + java.io.File.pathSeparator + Path.of(System.getProperty("bgtask.e2e.libraries")).resolve("*");
    ShopJvm shop = ShopJvm.start(directory, "shop", "heartbeat=500ms,workerTimeout=3s,sleep=200ms,workers=2", Map.of(),
        List.of(h2(), "spring.devtools.restart.poll-interval=200ms", "spring.devtools.restart.quiet-period=100ms"), classPath);
    try {
      shop.awaitStarted(1);
      long before = SpringBootStarterTest.placed(shop.post("/orders?customer=ida"));
      String first = awaitReceipt(before, shop);
      assertTrue(first.contains("loader=RestartClassLoader@"), "devtools runs the application's classes: " + first);

      // A class rebuilt, as an IDE does: devtools restarts the application with its classes loaded again.
      Path mailer = classes.resolve("dev/bgtask/e2e/spring/ReceiptMailer.class");
      Files.setLastModifiedTime(mailer, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 1_000));
      shop.awaitStarted(2);
      long after = SpringBootStarterTest.placed(shop.post("/orders?customer=jo"));
      String second = awaitReceipt(after, shop);
      assertTrue(SpringBootStarterTest.thread(second).startsWith("bgtask-worker-"), second);
      assertNotEquals(loader(first), loader(second), "the task ran with the reloaded class: " + first + "\n" + second);
    } finally {
      shop.stop();
    }
  }

  private String awaitReceipt(long order, ShopJvm shop) {
    ShopJvm.await(() -> results().anyMatch(line -> line.startsWith("receipt " + order + " ")), Duration.ofSeconds(30), shop::output);
    return results().filter(line -> line.startsWith("receipt " + order + " ")).findFirst().orElseThrow();
  }

  private static String loader(String line) {
    int start = line.indexOf("loader=");
    return line.substring(start, line.indexOf(" | ", start));
  }

  private String h2() {
    return "spring.datasource.url=jdbc:h2:file:" + directory.resolve("shop").toAbsolutePath() + ";AUTO_SERVER=TRUE";
  }

  private Stream<String> results() {
    try {
      Path file = directory.resolve("results.txt");
      return Files.exists(file) ? Files.readAllLines(file).stream() : Stream.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }
}
