package dev.bgtask.runtime.store;

import dev.bgtask.runtime.config.ConfigSources;
import dev.bgtask.runtime.config.Settings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * A store test's database: in-memory H2, or a database of its own on the local PostgreSQL or
 * MariaDB server, created by {@link #connect()} and dropped by {@link #drop()}. A server that
 * cannot be reached fails the test; it is never skipped.
 */
public enum ServerDatabase {
  H2(null, null),
  POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/", "postgres"),
  MARIADB("jdbc:mariadb://127.0.0.1:3306/", "root");

  private final String serverUrl;
  private final String user;
  private String created;

  ServerDatabase(String serverUrl, String user) {
    this.serverUrl = serverUrl;
    this.user = user;
  }

  /** Connected to a fresh, empty database; not yet migrated. */
  public Database connect() {
    if (this == H2) {
      return InMemoryDatabase.connect();
    }
    created = "bgtask_store_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    admin("CREATE DATABASE " + created);
    return Database.connect(Settings.from(ConfigSources.read(
        Map.of("url", serverUrl + created, "user", user, "poolSize", "8"), new Properties(), Map.of())));
  }

  /** The URL of the database {@link #connect()} created (servers only). */
  public String url() {
    return serverUrl + created;
  }

  public void drop() {
    if (created != null) {
      admin(this == POSTGRESQL ? "DROP DATABASE IF EXISTS " + created + " WITH (FORCE)" : "DROP DATABASE IF EXISTS " + created);
      created = null;
    }
  }

  private void admin(String sql) {
    try (Connection connection = DriverManager.getConnection(serverUrl + (this == POSTGRESQL ? "postgres" : ""), user, "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError(name() + " at " + serverUrl + " is required by this test and could not be used ("
          + e.getMessage() + "); start it with scripts/start-databases.sh", e);
    }
  }
}
