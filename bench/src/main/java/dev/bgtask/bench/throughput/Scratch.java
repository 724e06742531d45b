package dev.bgtask.bench.throughput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A fresh database for one workload: H2 files in {@code directory}, or a PostgreSQL database dropped on close. */
record Scratch(Path directory, String postgresDatabase) implements AutoCloseable {

  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

  static Scratch create(String database) throws IOException, SQLException {
    Path directory = Files.createTempDirectory("bgtask-bench-throughput");
    if (database.equals("h2")) {
      return new Scratch(directory, null);
    }
    String name = "bgtask_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    admin("CREATE DATABASE " + name);
    return new Scratch(directory, name);
  }

  /** Our agent's URL option; without one it uses its embedded H2 file in the working directory. */
  String agentUrl() {
    return postgresDatabase == null ? "" : ",url=" + POSTGRES + postgresDatabase + ",user=postgres";
  }

  /** The other contenders' and the reference's URL; on H2 commits reach the file at once, as ours do. */
  String peerUrl() {
    return postgresDatabase == null ? "jdbc:h2:file:" + directory.resolve("peer") + ";WRITE_DELAY=0" : POSTGRES + postgresDatabase;
  }

  String user() {
    return postgresDatabase == null ? "sa" : "postgres";
  }

  @Override
  public void close() throws SQLException {
    if (postgresDatabase != null) {
      admin("DROP DATABASE IF EXISTS " + postgresDatabase + " WITH (FORCE)");
    }
  }

  private static void admin(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
