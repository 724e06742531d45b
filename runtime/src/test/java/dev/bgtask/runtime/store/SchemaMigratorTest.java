package dev.bgtask.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaMigratorTest {

  private Database database;

  @BeforeEach
  void connect() {
    database = InMemoryDatabase.connect();
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void migrationCutShortByAnExitIsCompletedByTheNextStart() throws SQLException {
    List<String> statements = Dialect.H2.schemaV1("bgtask_");
    execute(Dialect.H2.versionTable("bgtask_"));
    execute(statements.get(0)); // the JVM died after the first statement, before recording the version

    assertEquals(SchemaMigrator.latestVersion(), new SchemaMigrator(database, "bgtask_").migrate());
    assertEquals(SchemaMigrator.latestVersion(), count("SELECT COUNT(*) FROM bgtask_schema_version"));
    assertEquals(0, count("SELECT COUNT(*) FROM bgtask_completed_task"), "the rest of the migration ran");
  }

  @Test
  void tablePrefixNamesEveryTable() throws SQLException {
    assertEquals(SchemaMigrator.latestVersion(), new SchemaMigrator(database, "shop_jobs_").migrate());
    assertEquals(0, count("SELECT COUNT(*) FROM shop_jobs_task"));
    assertEquals(0, count("SELECT COUNT(*) FROM shop_jobs_completed_task"));
    assertEquals(SchemaMigrator.latestVersion(), count("SELECT COUNT(*) FROM shop_jobs_schema_version"));
  }

  @Test
  void schemaNewerThanTheAgentIsRefused() throws SQLException {
    new SchemaMigrator(database, "bgtask_").migrate();
    execute("INSERT INTO bgtask_schema_version (version, applied_at) VALUES (99, CURRENT_TIMESTAMP)");
    IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> new SchemaMigrator(database, "bgtask_").migrate());
    assertEquals("the task tables are at schema version 99, newer than this agent knows (" + SchemaMigrator.latestVersion() + "); upgrade the agent", refused.getMessage());
  }



  private void execute(String sql) {
    InMemoryDatabase.execute(database, sql);
  }

  private long count(String sql) {
    return InMemoryDatabase.count(database, sql);
  }
}
