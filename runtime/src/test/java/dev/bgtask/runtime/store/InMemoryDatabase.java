package dev.bgtask.runtime.store;

import dev.bgtask.runtime.config.ConfigSources;
import dev.bgtask.runtime.config.Settings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/** A fresh in-memory H2 database with the agent's schema, and plain-SQL reads of it, for store tests. */
public final class InMemoryDatabase {

  private InMemoryDatabase() {}

  /** Connected, not yet migrated. */
  public static Database connect() {
    return Database.connect(Settings.from(ConfigSources.read(
        Map.of("url", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "poolSize", "8"), new Properties(), Map.of())));
  }

  /** Connected and migrated to the latest schema. */
  public static Database migrated() {
    Database database = connect();
    new SchemaMigrator(database, "bgtask_").migrate();
    return database;
  }

  public static long count(Database database, String sql) {
    return ((Number) rows(database, sql).get(0).values().iterator().next()).longValue();
  }

  public static List<Map<String, Object>> rows(Database database, String sql) {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      while (result.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
          row.put(result.getMetaData().getColumnLabel(i).toLowerCase(), result.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new AssertionError("query failed: " + sql, e);
    }
  }

  public static void execute(Database database, String sql) {
    try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError("statement failed: " + sql, e);
    }
  }
}
