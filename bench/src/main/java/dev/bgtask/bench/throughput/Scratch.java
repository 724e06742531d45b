package dev.bgtask.bench.throughput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh database for one workload: H2 files in {@code directory}, or a database of its own on
 * the local PostgreSQL or MariaDB ({@code server}), dropped on close.
 */
record Scratch(Path directory, String server, String serverDatabase) implements AutoCloseable {

  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";

  static Scratch create(String database) throws IOException, SQLException {
    Path directory = Files.createTempDirectory("bgtask-bench-throughput");
    if (database.equals("h2")) {
      return new Scratch(directory, database, null);
    }
    if (!database.equals("postgresql") && !database.equals("mariadb")) {
      throw new IllegalArgumentException("unknown database " + database + "; h2, postgresql or mariadb");
    }
    String name = "bgtask_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    admin(database, "CREATE DATABASE " + name);
    return new Scratch(directory, database, name);
  }

  /** Our agent's URL option; without one it uses its embedded H2 file in the working directory. */
  String agentUrl() {
    return serverDatabase == null ? "" : ",url=" + serverUrl() + serverDatabase + ",user=" + user();
  }

  /** The other contenders' and the reference's URL; on H2 commits reach the file at once, as ours do. */
  String peerUrl() {
    return serverDatabase == null ? "jdbc:h2:file:" + directory.resolve("peer") + ";WRITE_DELAY=0" : serverUrl() + serverDatabase;
  }

  /** Where our agent's tables are, for filling them: the peers' URL on a server, the agent's own file on H2. */
  String agentTablesUrl() {
    return serverDatabase == null ? "jdbc:h2:file:" + directory.resolve("background-tasks") + ";AUTO_SERVER=TRUE" : peerUrl();
  }

  String user() {
    return switch (server) {
      case "postgresql" -> "postgres";
      case "mariadb" -> "root";
      default -> "sa";
    };
  }

  private String serverUrl() {
    return server.equals("postgresql") ? POSTGRES : MARIADB;
  }

  @Override
  public void close() throws SQLException {
    if (serverDatabase != null) {
      admin(server, "DROP DATABASE IF EXISTS " + serverDatabase + (server.equals("postgresql") ? " WITH (FORCE)" : ""));
    }
  }

  private static void admin(String server, String sql) throws SQLException {
    try (Connection connection = connectToServer(server); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** A connection to the server itself, as its administrator: for settings and databases. */
  static Connection connectToServer(String server) throws SQLException {
    String url = server.equals("postgresql") ? POSTGRES + "postgres" : MARIADB;
    return DriverManager.getConnection(url, server.equals("postgresql") ? "postgres" : "root", "");
  }
}
