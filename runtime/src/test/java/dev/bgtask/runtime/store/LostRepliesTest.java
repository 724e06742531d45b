package dev.bgtask.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.runtime.config.ConfigSources;
import dev.bgtask.runtime.config.Settings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrent calls share one multi-row INSERT (group commit). When its reply is lost, or the
 * server is down, what the callers are told and what is stored must agree: no task is stored
 * twice, and no caller waits out the pool's time-out once per row.
 */
class LostRepliesTest {

  private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

  private String name;
  private ReplyCuttingProxy proxy;
  private Database database;
  private TaskStore store;

  @BeforeEach
  void connect() throws Exception {
    name = "bgtask_lost_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    admin("CREATE DATABASE " + name);
    proxy = new ReplyCuttingProxy();
    database = Database.connect(Settings.from(ConfigSources.read(
        Map.of("url", proxy.url(name), "user", "postgres", "poolSize", "8"), new Properties(), Map.of())));
    new SchemaMigrator(database, "bgtask_").migrate();
    store = new TaskStore(database);
  }

  @AfterEach
  void drop() throws Exception {
    database.close();
    proxy.close();
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  @Test
  void callersOfABatchWhoseReplyWasLostAreToldSoAndNoTaskIsStoredTwice() throws InterruptedException {
    proxy.cutNextMultiRowInsertReply();
    ConcurrentLinkedQueue<String> stored = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
    callConcurrently(4, 100, (argument) -> {
      try {
        store.insert(task(argument));
        stored.add(argument);
      } catch (DatabaseUnavailableException e) {
        failed.add(argument);
      }
    });

    assertTrue(proxy.rowsOfTheLostReply() >= 2, "a shared INSERT lost its reply");
    Map<String, Long> rows = InMemoryDatabase.rows(database, "SELECT arguments FROM bgtask_task").stream()
        .collect(Collectors.groupingBy(row -> (String) row.get("arguments"), Collectors.counting()));
    List<String> twice = rows.entrySet().stream().filter(entry -> entry.getValue() > 1).map(Map.Entry::getKey).toList();
    assertEquals(List.of(), twice, "stored twice");
    assertEquals(proxy.rowsOfTheLostReply(), failed.size(), "each caller of the lost batch was told its store is in doubt");
    assertTrue(rows.keySet().containsAll(stored.stream().map(argument -> "[\"" + argument + "\"]").toList()),
        "every call that returned is stored");
    assertEquals(stored.size() + failed.size(), rows.size(), "the lost batch's rows are there, committed");
  }

  @Test
  void withTheServerDownEveryWaitingCallerFailsWithinThePoolsTimeOutNotOnceForEachRow() throws InterruptedException {
    store.insert(task("before")); // the pool is up
    proxy.swallowEverything();
    long began = System.nanoTime();
    ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
    callConcurrently(6, 1, (argument) -> {
      try {
        store.insert(task(argument));
      } catch (DatabaseUnavailableException e) {
        failed.add(argument);
      }
    });
    Duration took = Duration.ofNanos(System.nanoTime() - began);
    assertEquals(6, failed.size());
    // A lone caller waits out the pool's 10 s, then the batch that gathered behind it another 10 s;
    // storing that batch's rows one by one instead would take 10 s more for each.
    assertTrue(took.compareTo(Duration.ofSeconds(40)) < 0, "all failed after " + took.toSeconds() + " s");
  }

  private NewTask task(String argument) {
    Instant now = Instant.now();
    return new NewTask("t", "com.example.Tasks", "t", "(Ljava/lang/String;)V", "[\"" + argument + "\"]", "", 0, now, now, 3);
  }

  private static void callConcurrently(int threads, int callsEach, java.util.function.Consumer<String> call) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      new Thread(() -> {
        try {
          for (int i = 0; i < callsEach; i++) {
            call.accept(thread + "-" + i);
          }
        } finally {
          done.countDown();
        }
      }).start();
    }
    assertTrue(done.await(3, TimeUnit.MINUTES));
  }

  private static void admin(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
