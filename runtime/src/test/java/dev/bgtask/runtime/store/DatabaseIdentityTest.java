package dev.bgtask.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** How the agent tells whether an application's connection reaches the task database, on every database. */
@ParameterizedClass(name = "on {0}")
@EnumSource(ServerDatabase.class)
class DatabaseIdentityTest {

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
  void aConnectionToTheTaskDatabaseReachesItAndOneElsewhereDoesNotAndItsTransactionGoesOn() throws Exception {
    try (Connection same = database.dataSource().getConnection()) {
      same.setAutoCommit(false);
      assertTrue(database.reaches(same));
      same.rollback();
    }
    // Another database of the same kind, without the task tables: read under a savepoint, the
    // failed read leaves the application's transaction usable (PostgreSQL would abort it otherwise).
    try (Connection elsewhere = elsewhere()) {
      elsewhere.setAutoCommit(false);
      assertFalse(database.reaches(elsewhere));
      try (Statement statement = elsewhere.createStatement(); ResultSet result = statement.executeQuery("SELECT 1")) {
        assertTrue(result.next());
        assertEquals(1, result.getInt(1));
      }
      elsewhere.rollback();
    }
  }

  private Connection elsewhere() throws java.sql.SQLException {
    return switch (server) {
      case H2 -> DriverManager.getConnection("jdbc:h2:mem:elsewhere");
      case POSTGRESQL -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
      case MARIADB -> DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/mysql", "root", "");
    };
  }
}
