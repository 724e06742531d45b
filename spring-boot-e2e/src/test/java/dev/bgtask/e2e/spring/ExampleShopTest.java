package dev.bgtask.e2e.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/spring-boot-shop does what its README says, run as it says. */
class ExampleShopTest {

  @TempDir
  Path directory;

  @Test
  void theExampleSendsACommittedOrdersReceiptOnAWorkerAndNothingForARefusedOne() throws Exception {
    Path out = directory.resolve("shop.out");
    Process shop = new ProcessBuilder(ShopJvm.java(),
        "-javaagent:" + System.getProperty("bgtask.e2e.agentJar"), "-jar", System.getProperty("bgtask.e2e.exampleJar"),
        "--server.port=0").directory(directory.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      ShopJvm.await(() -> read(out).contains("Started ShopApplication") || !shop.isAlive(), Duration.ofSeconds(90), () -> read(out));
      int port = ShopJvm.portIn(read(out));
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> placed = http.send(post(port, "customer=ada&total=37.50"), HttpResponse.BodyHandlers.ofString());
      assertEquals("order 1 placed\n", placed.body());
      ShopJvm.await(() -> read(out).contains("receipt for order 1: ada paid 37.50 (sent from bgtask-worker-"), Duration.ofSeconds(30),
          () -> read(out));
      assertEquals(500, http.send(post(port, "customer=bob&total=0"), HttpResponse.BodyHandlers.ofString()).statusCode());
      Thread.sleep(2_000);
      assertFalse(read(out).contains("bob paid"), "a refused order sends nothing: " + read(out));
    } finally {
      shop.destroy();
      shop.waitFor(60, TimeUnit.SECONDS);
    }
  }

  private static HttpRequest post(int port, String query) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders?" + query)).POST(HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(30)).build();
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
