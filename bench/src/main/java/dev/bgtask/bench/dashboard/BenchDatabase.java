package dev.bgtask.bench.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A fresh database of one kind for the page benchmark: an H2 file in a temporary folder, or a database of its own, dropped on close. */
record BenchDatabase(String kind, String url, String user, String created) implements AutoCloseable {

  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";

  static BenchDatabase create(String kind) throws IOException, SQLException {
    switch (kind) {
      case "h2" -> {
        Path directory = Files.createTempDirectory("bgtask-bench-dashboard");
        return new BenchDatabase(kind, "jdbc:h2:file:" + directory.resolve("tasks") + ";AUTO_SERVER=TRUE", "sa", null);
      }
      case "postgresql", "mariadb" -> {
        String name = "bgtask_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        BenchDatabase database = new BenchDatabase(kind, (kind.equals("postgresql") ? POSTGRES : MARIADB) + name,
            kind.equals("postgresql") ? "postgres" : "root", name);
        database.admin("CREATE DATABASE " + name);
        return database;
      }
      default -> throw new IllegalArgumentException("unknown database " + kind + ": h2, postgresql or mariadb");
    }
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, "");
  }

  @Override
  public void close() throws SQLException {
    if (created != null) {
      admin(kind.equals("postgresql") ? "DROP DATABASE IF EXISTS " + created + " WITH (FORCE)" : "DROP DATABASE IF EXISTS " + created);
    }
  }

  private void admin(String sql) throws SQLException {
    String server = kind.equals("postgresql") ? POSTGRES + "postgres" : MARIADB;
    try (Connection connection = DriverManager.getConnection(server, user, ""); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
