package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands that only read (list, show, health, dashboard) never change the schema: on task
 * tables older than the jar they say to run migrate, which upgrades them; newer ones they read.
 */
class ReadOnlyCommandsTest {

  @TempDir
  Path directory;

  @Test
  void commandsRefuseAnOlderSchemaWithoutTouchingItMigrateUpgradesItAndANewerOneIsOnlyRead() {
    ChildJvm created = cli("migrate");
    assertEquals(0, created.exitCode(), created.describe());
    assertTrue(created.stdout().contains("from schema version 0 to "), created.stdout());
    long latest = versions();
    TestDatabase.H2.tables(directory).execute("DELETE FROM bgtask_schema_version WHERE version = " + latest);

    ChildJvm refused = cli("list");
    assertEquals(1, refused.exitCode(), refused.describe());
    assertTrue(refused.stderr().contains("at schema version " + (latest - 1) + ", older than this agent's " + latest)
        && refused.stderr().contains("run the migrate command"), refused.stderr());
    assertEquals(latest - 1, versions(), "list changed nothing");
    assertEquals(1, cli("show", "1").exitCode());
    assertEquals(latest - 1, versions(), "show changed nothing");
    ChildJvm purge = cli("purge");
    assertEquals(1, purge.exitCode(), purge.describe());
    assertTrue(purge.stderr().contains("run the migrate command"), purge.stderr());
    assertEquals(latest - 1, versions(), "a command that changes tasks does not migrate either");

    ChildJvm migrated = cli("migrate", "--json");
    assertEquals(0, migrated.exitCode(), migrated.describe());
    assertTrue(migrated.stdout().contains("\"from\":" + (latest - 1)) && migrated.stdout().contains("\"to\":" + latest), migrated.stdout());
    assertEquals(0, cli("list").exitCode());

    TestDatabase.H2.tables(directory).execute("INSERT INTO bgtask_schema_version (version, applied_at) VALUES (99, CURRENT_TIMESTAMP)");
    ChildJvm newer = cli("list", "--json");
    assertEquals(0, newer.exitCode(), "a newer schema is read: migrations only add: " + newer.describe());
    assertEquals("[]", newer.stdout().trim());
    ChildJvm write = cli("purge", "--json");
    assertEquals(1, write.exitCode(), write.describe());
    assertTrue(write.stderr().contains("newer than this agent's " + latest + ": use the agent the worker JVMs run"), write.stderr());
  }

  private ChildJvm cli(String... arguments) {
    return TestDatabase.H2.jvm(directory).named("cli-" + String.join("-", arguments)).runJar(Path.of(ChildJvm.agentJar()), arguments);
  }

  private long versions() {
    return TestDatabase.H2.tables(directory).count("SELECT COUNT(*) FROM bgtask_schema_version");
  }
}
