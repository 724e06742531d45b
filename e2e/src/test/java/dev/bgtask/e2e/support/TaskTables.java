package dev.bgtask.e2e.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the agent's tables in the embedded H2 default of a test directory, once no child JVM holds
 * it. (Polling a running child through H2's AUTO_SERVER was tried: a process that opens and closes
 * connections that often can make H2 believe the owner is gone and open the file itself, and the
 * two then lose each other's writes. Tests watch the results file while children run instead.)
 */
public final class TaskTables {

  private final String url;
  private final String user;
  private final String password;

  public TaskTables(Path directory) {
    this("jdbc:h2:file:" + directory.resolve("background-tasks").toAbsolutePath(), "sa", "");
  }

  /** The tables of a database server, which may be read while children run. */
  public TaskTables(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  public long count(String sql) {
    List<Map<String, Object>> rows = rows(sql);
    return ((Number) rows.get(0).values().iterator().next()).longValue();
  }

  /** Like {@link #count} but 0 while the tables do not exist yet. */
  public long countOrZero(String sql) {
    try {
      return count(sql);
    } catch (AssertionError notYet) {
      return 0;
    }
  }

  /** Runs one statement that changes rows, as the state a crash leaves behind would be. */
  public void execute(String sql) {
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      statement.executeUpdate(sql);
    } catch (SQLException e) {
      throw new AssertionError("statement failed: " + sql + ": " + e.getMessage(), e);
    }
  }

  public List<Map<String, Object>> rows(String sql) {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= columns; i++) {
          Object value = result.getObject(i);
          if (value instanceof java.sql.Clob clob) {
            value = clob.getSubString(1, (int) clob.length());
          }
          if (value instanceof java.time.LocalDateTime local) {
            value = java.sql.Timestamp.valueOf(local);
          }
          row.put(result.getMetaData().getColumnLabel(i).toLowerCase(), value);
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new AssertionError("query failed: " + sql + ": " + e.getMessage(), e);
    }
  }

  /** A child JVM that just exited may still be releasing the file: wait that out, as the agent does. */
  private Connection connect() throws SQLException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      try {
        return DriverManager.getConnection(url, user, password);
      } catch (SQLException e) {
        if ((e.getErrorCode() != 90020 && e.getErrorCode() != 8000) || System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
