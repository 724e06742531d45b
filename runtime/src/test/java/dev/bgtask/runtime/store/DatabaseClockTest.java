package dev.bgtask.runtime.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The database's clock as a JVM reads it, on every database (all on this machine, so near this JVM's own). */
@ParameterizedClass(name = "on {0}")
@EnumSource(ServerDatabase.class)
class DatabaseClockTest {

  @Parameter
  ServerDatabase server;

  private Database database;

  @BeforeEach
  void connect() {
    database = server.connect();
    new SchemaMigrator(database, "bgtask_").migrate();
  }

  @AfterEach
  void close() {
    database.close();
    server.drop();
  }

  @Test
  void readsTheDatabasesTimeToTheMillisecondAndCarriesItForward() throws InterruptedException {
    DatabaseClock clock = DatabaseClock.read(database);
    assertTrue(clock.jvmClockAhead().abs().compareTo(Duration.ofMillis(500)) < 0, "the same machine's clock: " + clock.jvmClockAhead());
    Instant first = clock.instant();
    Thread.sleep(50);
    Duration passed = Duration.between(first, clock.instant());
    assertTrue(passed.compareTo(Duration.ofMillis(50)) >= 0 && passed.compareTo(Duration.ofSeconds(5)) < 0, passed.toString());
    clock.readAgain();
    assertTrue(clock.jvmClockAhead().abs().compareTo(Duration.ofMillis(500)) < 0, "read again: " + clock.jvmClockAhead());
  }
}
