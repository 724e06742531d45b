package dev.bgtask.e2e.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SPEC §10: a Spring Boot executable jar with the starter, run with the agent. Orders are placed in
 * {@code @Transactional} methods that call {@code @Background} methods of beans: a committed order's
 * receipt runs on a worker with the bean's injected JdbcTemplate, a rolled-back one leaves no task,
 * no task starts before its transaction commits, a REQUIRES_NEW transaction stores its own, a call
 * on {@code this} inside a proxied bean is stored too, and Actuator's health shows the queue.
 */
@ParameterizedClass(name = "orders and tasks {0}")
@EnumSource(Setup.class)
class SpringBootStarterTest {

  private static final String LEASES = "heartbeat=500ms,workerTimeout=3s,sleep=200ms";

  @Parameter
  Setup setup;

  @TempDir
  Path directory;

  private Setup.Databases databases;
  private final List<ShopJvm> shops = new ArrayList<>();

  @AfterEach
  void stop() {
    shops.forEach(ShopJvm::stop);
    if (databases != null) {
      databases.drop();
    }
  }

  @Test
  void aCommittedOrdersReceiptRunsOnAWorkerWithTheBeansInjectedDependencies() {
    ShopJvm shop = start("workers=2");
    long order = placed(shop.post("/orders?customer=ada"));
    awaitLine("receipt " + order + " to ada");
    String receipt = line("receipt " + order).orElseThrow();
    assertTrue(thread(receipt).startsWith("bgtask-worker-"), receipt);
    String packed = awaitLine("packed " + order);
    assertTrue(packed.contains("class=dev.bgtask.e2e.spring.OrderService |"), "run on the bean itself, not its proxy: " + packed);
    assertTrue(thread(packed).startsWith("bgtask-worker-"), "a call on this was stored, not run in the request: " + packed);
    ShopJvm.await(() -> databases.count("SELECT COUNT(*) FROM bgtask_completed_task") == 2, Duration.ofSeconds(20), shop::output);
    assertEquals("dev.bgtask.e2e.spring.OrderService", databases.className("dev.bgtask.e2e.spring.OrderService.packLater"),
        "the task names the class, never Spring's proxy subclass");
  }

  @Test
  void aRolledBackOrderLeavesNoTaskAndRunsNothing() throws InterruptedException {
    ShopJvm shop = start("workers=2");
    assertEquals(500, shop.post("/orders?customer=bob&fail=true").statusCode());
    long committed = placed(shop.post("/orders?customer=cy"));
    awaitLine("receipt " + committed + " to cy");
    Thread.sleep(1_000);
    assertEquals(List.of(), lines("receipt").stream().filter(line -> line.contains(" to bob")).toList());
    assertEquals(0, databases.taskRows("arguments NOT LIKE '%" + committed + "%'"), "no row of the rolled-back order in any task table");
  }

  @Test
  void noTaskStartsBeforeItsTransactionCommits() {
    ShopJvm shop = start("workers=2");
    long order = placed(shop.post("/orders?customer=dee&holdMillis=3000"));
    String receipt = awaitLine("receipt " + order + " to dee");
    String committed = awaitLine("committed " + order);
    assertTrue(at(receipt) >= at(committed), "the receipt started " + (at(committed) - at(receipt))
        + " ms before its transaction committed, though the workers poll every 200 ms");
  }

  @Test
  void aRequiresNewTransactionStoresItsTaskWhateverTheOuterOneDoes() throws InterruptedException {
    ShopJvm shop = start("workers=2");
    assertEquals(500, shop.post("/orders?customer=eve&audit=true&fail=true").statusCode());
    String audit = awaitLine("audit order ");
    assertTrue(audit.contains("placed by eve"), audit);
    Thread.sleep(1_000);
    assertEquals(List.of(), lines("receipt"), "the outer transaction's receipt rolled back with it");
  }

  @Test
  void actuatorHealthShowsTheQueueAndMetricsHoldTheAgentsMeters() throws IOException {
    ShopJvm shop = start("workers=2");
    long order = placed(shop.post("/orders?customer=fay"));
    awaitLine("receipt " + order + " to fay");
    JsonNode health = new ObjectMapper().readTree(shop.get("/actuator/health").body());
    assertEquals("UP", health.at("/components/backgroundTasks/status").asText(), health.toString());
    assertEquals("UP", health.at("/components/backgroundTasks/details/database/status").asText(), health.toString());
    assertEquals("UP", health.at("/components/backgroundTasks/details/workers/status").asText(), health.toString());
    ShopJvm.await(() -> shop.get("/actuator/metrics/bgtask.tasks.succeeded").statusCode() == 200, Duration.ofSeconds(20),
        () -> shop.get("/actuator/metrics").body());
    assertTrue(shop.get("/actuator/metrics/bgtask.tasks.succeeded").body().contains("\"queue\""));
  }

  @Test
  void workersStartOnlyOnceTheContextIsReady() {
    ShopJvm first = start("workers=0");
    long order = placed(first.post("/orders?customer=gus"));
    first.stop();
    shops.remove(first);
    assertFalse(Files.exists(directory.resolve("shop.lock.db")),
        "the stopped shop left H2's lock file behind, which the next start's two H2 engines (the shop's and the agent's) race to break");
    ShopJvm slow = start("workers=2", "shop.startup-delay-millis=4000");
    String receipt = awaitLine("receipt " + order + " to gus");
    String output = slow.output();
    assertTrue(output.contains("Started ShopApplication"), output);
    ShopJvm.await(() -> databases.count("SELECT COUNT(*) FROM bgtask_completed_task") == 2, Duration.ofSeconds(20), slow::output);
    assertEquals(0, databases.count("SELECT COUNT(*) FROM bgtask_completed_task WHERE attempts <> 1 OR outcome <> 'SUCCEEDED'"),
        "the receipt and the packing ran once each, with their beans, not before them: " + receipt + "\n" + output);
  }

  private ShopJvm start(String agent, String... properties) {
    if (databases == null) {
      databases = setup.create(directory);
    }
    List<String> all = new ArrayList<>(databases.appProperties());
    all.addAll(List.of(properties));
    ShopJvm shop = ShopJvm.start(directory, "shop-" + shops.size(), LEASES + "," + agent, databases.agentEnvironment(), all, null);
    shops.add(shop);
    shop.awaitStarted(1);
    return shop;
  }

  static long placed(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    return Long.parseLong(response.body().substring("order ".length()).trim());
  }

  private String awaitLine(String prefix) {
    ShopJvm.await(() -> line(prefix).isPresent(), Duration.ofSeconds(30),
        () -> "'" + prefix + "' in " + lines("") + "\n" + shops.get(shops.size() - 1).output());
    return line(prefix).orElseThrow();
  }

  private Optional<String> line(String prefix) {
    return lines(prefix).stream().findFirst();
  }

  private List<String> lines(String prefix) {
    Path file = directory.resolve("results.txt");
    try {
      return Files.exists(file) ? Files.readAllLines(file).stream().filter(line -> line.startsWith(prefix)).toList() : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String thread(String line) {
    int start = line.indexOf("thread=") + "thread=".length();
    return line.substring(start, line.indexOf(" | ", start));
  }

  static long at(String line) {
    return Long.parseLong(line.substring(line.indexOf("at=") + 3).trim());
  }
}
