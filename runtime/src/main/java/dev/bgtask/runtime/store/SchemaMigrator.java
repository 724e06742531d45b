package dev.bgtask.runtime.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Creates the schema on first start and brings older ones up to date. Each version is applied in
 * order and recorded in {@code <prefix>schema_version}; two JVMs starting at once race on that
 * table's primary key, and the loser re-reads the version instead of applying twice.
 */
public final class SchemaMigrator {

  /** Migrations by version, oldest first. Append only: a released migration never changes. */
  private static final List<Function<Dialect, Function<String, List<String>>>> MIGRATIONS = List.of(
      dialect -> dialect::schemaV1);

  private final Database database;
  private final String prefix;

  public SchemaMigrator(Database database, String prefix) {
    this.database = database;
    this.prefix = prefix;
  }

  public static int latestVersion() {
    return MIGRATIONS.size();
  }

  /** Applies what is missing; returns the version the schema is at afterwards. */
  public int migrate() {
    try (Connection connection = database.dataSource().getConnection()) {
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
    } catch (SQLException e) {
      throw new DatabaseUnavailableException("cannot create or migrate the task tables in "
          + database.url() + ": " + Database.rootCause(e), e);
    }
  }

  private void ensureVersionTable(Connection connection) throws SQLException {
    if (tableExists(connection, prefix + "schema_version")) {
      return;
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute(database.dialect().versionTable(prefix));
    } catch (SQLException raced) {
      if (!tableExists(connection, prefix + "schema_version")) {
        throw raced;
      }
    }
  }

  private boolean tableExists(Connection connection, String table) throws SQLException {
    DatabaseMetaData metaData = connection.getMetaData();
    for (String candidate : List.of(table, table.toUpperCase(Locale.ROOT), table.toLowerCase(Locale.ROOT))) {
      try (ResultSet tables = metaData.getTables(connection.getCatalog(), null, candidate, null)) {
        if (tables.next()) {
          return true;
        }
      }
    }
    return false;
  }

  private int currentVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT MAX(version) FROM " + prefix + "schema_version")) {
      result.next();
      return result.getInt(1);
    }
  }

  private void apply(Connection connection, int version) throws SQLException {
    connection.setAutoCommit(false);
    try {
      // Claim the version first: a concurrent migrator fails here and leaves the work to us.
      try (PreparedStatement claim = connection.prepareStatement(
          "INSERT INTO " + prefix + "schema_version (version, applied_at) VALUES (?, ?)")) {
        claim.setInt(1, version);
        claim.setTimestamp(2, Timestamp.from(Instant.now()));
        claim.executeUpdate();
      }
      try (Statement statement = connection.createStatement()) {
        for (String sql : MIGRATIONS.get(version - 1).apply(database.dialect()).apply(prefix)) {
          statement.execute(sql);
        }
      }
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      if (currentVersion(connection) < version) {
        throw e;
      }
    } finally {
      connection.setAutoCommit(true);
    }
  }
}
