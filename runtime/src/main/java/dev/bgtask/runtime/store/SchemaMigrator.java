package dev.bgtask.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Creates the schema on first start and brings older ones up to date. Each version is applied in
 * order and then recorded in {@code <prefix>schema_version}.
 */
public final class SchemaMigrator {

  /** Migrations by version, oldest first. Append only: a released migration never changes. */
  private static final List<Function<Dialect, Function<String, List<String>>>> MIGRATIONS = List.of(
      dialect -> dialect::schemaV1,
      dialect -> dialect::schemaV2,
      dialect -> dialect::schemaV3,
      dialect -> dialect::schemaV4,
      dialect -> dialect::schemaV5,
      dialect -> dialect::schemaV6,
      dialect -> dialect::schemaV7,
      dialect -> dialect::schemaV8,
      dialect -> dialect::schemaV9,
      dialect -> dialect::schemaV10,
      dialect -> dialect::schemaV11,
      dialect -> dialect::schemaV12,
      dialect -> dialect::schemaV13,
      dialect -> dialect::schemaV14,
      dialect -> dialect::schemaV15);

  private final Database database;
  private final String prefix;

  public SchemaMigrator(Database database, String prefix) {
    this.database = database;
    this.prefix = prefix;
  }

  public static int latestVersion() {
    return MIGRATIONS.size();
  }

  /**
   * The version the task tables are at, read without changing anything: 0 when there are none.
   * For the read-only commands, which never migrate.
   */
  public int installedVersion() {
    try (Connection connection = database.dataSource().getConnection()) {
      return currentVersion(connection);
    } catch (SQLException missingTable) {
      return 0;
    }
  }

  /**
   * Refuses, with what to do, task tables older than this agent knows (or none): a read-only command
   * must not upgrade a database that older worker JVMs still use. Newer ones are read: migrations
   * only ever add tables and columns.
   */
  public void checkReadable() {
    refuseOlder(installedVersion());
  }

  /**
   * Refuses task tables at another version than this agent's: a command that changes tasks
   * neither upgrades the tables under older worker JVMs nor writes rows a newer agent shaped.
   */
  public void checkWritable() {
    int installed = installedVersion();
    refuseOlder(installed);
    if (installed > latestVersion()) {
      throw new IllegalStateException("the task tables in " + database.url() + " are at schema version " + installed
          + ", newer than this agent's " + latestVersion() + ": use the agent the worker JVMs run");
    }
  }

  private void refuseOlder(int installed) {
    if (installed == 0) {
      throw new IllegalStateException("there are no task tables (" + prefix + "*) in " + database.url()
          + "; start a JVM with the agent, or run the migrate command, to create them");
    }
    if (installed < latestVersion()) {
      throw new IllegalStateException("the task tables in " + database.url() + " are at schema version " + installed
          + ", older than this agent's " + latestVersion() + ", and this command never changes them: run the migrate"
          + " command to upgrade them (worker JVMs of an older agent then refuse to start), or use the agent they run");
    }
  }

  /** Applies what is missing; returns the version the schema is at afterwards. */
  public int migrate() {
    try (Connection connection = database.dataSource().getConnection()) {
      refuseStandby(connection);
      Optional<String> transactionLock = database.dialect().transactionMigrationLock(prefix);
      if (transactionLock.isPresent()) {
        return migrateInOneTransaction(connection, transactionLock.get());
      }
      List<String> sessionLock = database.dialect().sessionMigrationLock(prefix);
      if (sessionLock.isEmpty()) {
        return migrate(connection);
      }
      execute(connection, sessionLock.get(0));
      try {
        return migrate(connection);
      } finally {
        execute(connection, sessionLock.get(1));
      }
    } catch (SQLException e) {
      throw new DatabaseUnavailableException("cannot create or migrate the task tables in "
          + database.url() + ": " + Database.rootCause(e), e);
    }
  }

  private int migrateInOneTransaction(Connection connection, String lock) throws SQLException {
    connection.setAutoCommit(false);
    try {
      execute(connection, lock);
      int version = migrate(connection);
      connection.commit();
      return version;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  /**
   * A PostgreSQL standby refuses every write, so workers there could never claim: start-up stops
   * with what to change rather than at the first statement's "read-only transaction" error.
   */
  private void refuseStandby(Connection connection) throws SQLException {
    if (database.dialect() != Dialect.POSTGRESQL) {
      return;
    }
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT pg_is_in_recovery()")) {
      if (result.next() && result.getBoolean(1)) {
        throw new DatabaseUnavailableException("the task database at " + database.url() + " is a read-only standby:"
            + " point url at the primary, or name every host with targetServerType=primary", null);
      }
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private int migrate(Connection connection) throws SQLException {
    ensureVersionTable(connection);
    int version = currentVersion(connection);
    if (version > latestVersion()) {
      throw new IllegalStateException("the task tables are at schema version " + version
          + ", newer than this agent knows (" + latestVersion() + "); upgrade the agent");
    }
    while (version < latestVersion()) {
      apply(connection, version + 1);
      version = currentVersion(connection);
    }
    return version;
  }

  private void ensureVersionTable(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(database.dialect().versionTable(prefix));
    }
  }

  private int currentVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT MAX(version) FROM " + prefix + "schema_version")) {
      result.next();
      return result.getInt(1);
    }
  }

  /**
   * Runs a migration's statements, then records its version. The statements are idempotent, so a
   * migration cut short (by an exit, or by a concurrent migrator) is simply completed; a second
   * migrator recording the same version loses on the primary key, which is fine.
   */
  private void apply(Connection connection, int version) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : MIGRATIONS.get(version - 1).apply(database.dialect()).apply(prefix)) {
        statement.execute(sql);
      }
    }
    try (PreparedStatement record = connection.prepareStatement(
        "INSERT INTO " + prefix + "schema_version (version, applied_at) VALUES (?, ?)")) {
      record.setInt(1, version);
      record.setTimestamp(2, Timestamp.from(Instant.now()));
      record.executeUpdate();
    } catch (SQLException raced) {
      if (currentVersion(connection) < version) {
        throw raced;
      }
    }
  }
}
