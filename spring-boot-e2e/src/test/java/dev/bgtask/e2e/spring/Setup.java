package dev.bgtask.e2e.spring;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where the shop keeps its orders and the agent its tasks: both in one PostgreSQL database, both in
 * one H2 file, or the orders in an H2 file and the tasks in PostgreSQL (then a task waits for its
 * transaction's commit to be stored). Each test gets databases of its own.
 */
enum Setup {
  POSTGRESQL, H2, OTHER_DATABASE;

  private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

  /** Creates the databases this setup needs for a test in {@code directory}. */
  Databases create(Path directory) {
    String h2 = "jdbc:h2:file:" + directory.resolve("shop").toAbsolutePath() + ";AUTO_SERVER=TRUE";
    String postgres = this == H2 ? null : "bgtask_spring_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    if (postgres != null) {
      admin("CREATE DATABASE " + postgres);
    }
    return switch (this) {
      case POSTGRESQL -> new Databases(SERVER + postgres, "postgres", SERVER + postgres, "postgres", postgres);
      case H2 -> new Databases(h2, "sa", h2, "sa", null);
      case OTHER_DATABASE -> new Databases(h2, "sa", SERVER + postgres, "postgres", postgres);
    };
  }

  /** The application's database and the task database, and how to reach and drop them. */
  record Databases(String appUrl, String appUser, String taskUrl, String taskUser, String postgres) {

    Map<String, String> agentEnvironment() {
      return Map.of("BGTASK_URL", taskUrl, "BGTASK_USER", taskUser);
    }

    List<String> appProperties() {
      return List.of("spring.datasource.url=" + appUrl, "spring.datasource.username=" + appUser);
    }

    /** Rows in both task tables together. */
    long taskRows(String condition) {
      return count("SELECT COUNT(*) FROM bgtask_task WHERE " + condition) + count("SELECT COUNT(*) FROM bgtask_completed_task WHERE " + condition);
    }

    String className(String taskName) {
      try (Connection connection = DriverManager.getConnection(taskUrl, taskUser, "");
          Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("SELECT class_name FROM bgtask_completed_task WHERE task_name = '" + taskName + "'")) {
        return result.next() ? result.getString(1) : null;
      } catch (SQLException e) {
        throw new AssertionError(e);
      }
    }

    long count(String sql) {
      try (Connection connection = DriverManager.getConnection(taskUrl, taskUser, "");
          Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery(sql)) {
        result.next();
        return result.getLong(1);
      } catch (SQLException e) {
        throw new AssertionError(sql + ": " + e.getMessage(), e);
      }
    }

    void drop() {
      if (postgres != null) {
        admin("DROP DATABASE IF EXISTS " + postgres + " WITH (FORCE)");
      }
    }
  }

  private static void admin(String sql) {
    try (Connection connection = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError("PostgreSQL at " + SERVER + " is required by this test and could not be used (" + e.getMessage()
          + "); start it with scripts/start-databases.sh", e);
    }
  }
}
