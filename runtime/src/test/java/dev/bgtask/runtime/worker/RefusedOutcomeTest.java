package dev.bgtask.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bgtask.Background;
import dev.bgtask.runtime.codec.ArgumentCodec;
import dev.bgtask.runtime.schedule.BackoffPolicy;
import dev.bgtask.runtime.store.ClaimedTask;
import dev.bgtask.runtime.store.Database;
import dev.bgtask.runtime.store.InMemoryDatabase;
import dev.bgtask.runtime.store.NewTask;
import dev.bgtask.runtime.store.SchemaMigrator;
import dev.bgtask.runtime.store.ServerDatabase;
import dev.bgtask.runtime.store.TaskStore;
import dev.bgtask.runtime.task.ClassLoaders;
import dev.bgtask.runtime.task.TaskMethods;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An outcome write the database refuses for what it holds is never retried as if the database
 * were down: the attempt is recorded as failed, saying why. Here the next repetition of a DAILY
 * task falls past the last day the database's timestamp type can hold.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(value = ServerDatabase.class, names = {"POSTGRESQL", "MARIADB"})
class RefusedOutcomeTest {

  static final class Report {
    @Background
    static void daily() {}

    private static void daily$bgtask() {}
  }

  @Parameter
  ServerDatabase server;

  private final Clock clock = Clock.systemUTC();
  private Database database;
  private TaskStore store;
  private TaskRunner runner;

  @BeforeEach
  void connect() {
    database = server.connect();
    new SchemaMigrator(database, "bgtask_").migrate();
    store = new TaskStore(database);
    ArgumentCodec codec = new ArgumentCodec();
    runner = new TaskRunner(new TaskMethods(codec, new ClassLoaders()), codec, store, new Receivers(), new BackoffPolicy(), true, clock);
  }

  @AfterEach
  void close() throws InterruptedException {
    runner.stop(Duration.ofSeconds(5));
    database.close();
    server.drop();
  }

  @Test
  void aRepetitionTheDatabaseCannotStoreEndsTheAttemptAsAFailureAtOnce() {
    Instant now = clock.instant();
    store.insert(new NewTask("daily", Report.class.getName(), "daily", "()V", "[]", "", 0, now.minusSeconds(1), now, 3)
        .withRepeat("DAILY", null));
    String lastDay = server == ServerDatabase.POSTGRESQL ? "294276-12-31 00:00:00" : "9999-12-31 00:00:00";
    InMemoryDatabase.execute(database, "UPDATE bgtask_task SET scheduled_for = TIMESTAMP '" + lastDay + "'");
    List<ClaimedTask> claimed = store.claim(1, List.of(), "w", now);

    long began = System.nanoTime();
    runner.run(claimed.get(0));
    Duration took = Duration.ofNanos(System.nanoTime() - began);

    assertEquals(1, InMemoryDatabase.count(database, "SELECT COUNT(*) FROM bgtask_task WHERE claim_token IS NULL AND attempts = 1"
        + " AND last_error LIKE 'the database refused to record the outcome of this attempt%'"),
        InMemoryDatabase.rows(database, "SELECT * FROM bgtask_task").toString());
    assertEquals(true, took.compareTo(Duration.ofSeconds(5)) < 0, "recorded at once, not retried: " + took);
  }
}
