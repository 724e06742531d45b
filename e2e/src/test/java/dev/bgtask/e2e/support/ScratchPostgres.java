package dev.bgtask.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A PostgreSQL server of the test's own, beside the machine's: a fresh cluster made with the
 * installed server's {@code initdb} on a loopback port, or a streaming-replication standby of one
 * made with {@code pg_basebackup}. {@link #destroy()} stops it and deletes its files.
 */
public final class ScratchPostgres implements AutoCloseable {

  /** The application_name of the connections the test opens itself. */
  public static final String TEST_APPLICATION_NAME = "e2e-test";
  private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

  private final Path dataDirectory;
  private final int port;

  private ScratchPostgres(Path dataDirectory, int port) {
    this.dataDirectory = dataDirectory;
    this.port = port;
  }

  /** A new primary, its postgresql.conf extended by {@code settings}; trust authentication, replication allowed. */
  public static ScratchPostgres primary(Map<String, String> settings) {
    Path data = ServerProcess.directoryForPostgresUser("bgtask-pg-").resolve("data");
    ServerProcess.run(ServerProcess.asPostgresUser(BIN.resolve("initdb").toString(), "-D", data.toString(),
        "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"));
    ScratchPostgres server = new ScratchPostgres(data, FreePort.pick());
    server.appendSettings(Map.of("listen_addresses", "'127.0.0.1'", "unix_socket_directories", "''",
        "wal_level", "replica", "max_wal_senders", "5", "shared_buffers", "64MB", "fsync", "off"));
    server.appendSettings(settings);
    server.start();
    return server;
  }

  /**
   * A hot standby streaming from this server, named {@code name} for synchronous_standby_names,
   * already started and replaying.
   */
  public ScratchPostgres standby(String name) {
    Path data = ServerProcess.directoryForPostgresUser("bgtask-pg-standby-").resolve("data");
    ServerProcess.run(ServerProcess.asPostgresUser(BIN.resolve("pg_basebackup").toString(), "-h", "127.0.0.1",
        "-p", String.valueOf(port), "-U", "postgres", "-D", data.toString(), "-R", "-X", "stream", "--no-sync"));
    ScratchPostgres standby = new ScratchPostgres(data, FreePort.pick());
    // The primary's own settings came along: once promoted, this server has no standby to wait for.
    standby.appendSettings(Map.of("port", String.valueOf(standby.port), "synchronous_standby_names", "''",
        "primary_conninfo", "'host=127.0.0.1 port=" + port + " user=postgres application_name=" + name + "'"));
    standby.start();
    return standby;
  }

  public int port() {
    return port;
  }

  /** A JDBC URL of a database on this server. */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public void start() {
    appendSettings(Map.of("port", String.valueOf(port)));
    ServerProcess.run(ServerProcess.asPostgresUser(BIN.resolve("pg_ctl").toString(), "-D", dataDirectory.toString(),
        "-l", dataDirectory.resolveSibling("server.log").toString(), "-w", "-t", "60", "start"));
  }

  /** An immediate stop: the server goes away as in a crash, without a checkpoint. */
  public void crash() {
    ServerProcess.run(ServerProcess.asPostgresUser(BIN.resolve("pg_ctl").toString(), "-D", dataDirectory.toString(),
        "-m", "immediate", "-w", "stop"));
  }

  /** Makes a standby the primary, waiting until it accepts writes. */
  public void promote() {
    ServerProcess.run(ServerProcess.asPostgresUser(BIN.resolve("pg_ctl").toString(), "-D", dataDirectory.toString(),
        "-w", "-t", "60", "promote"));
  }

  public void execute(String database, String sql) {
    try (Connection connection = DriverManager.getConnection(testUrl(database), "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError("on the PostgreSQL at port " + port + ": " + sql + ": " + e.getMessage(), e);
    }
  }

  public TaskTables tables(String database) {
    return new TaskTables(testUrl(database), "postgres", "");
  }

  /** The test's own connections name themselves, so that counts of the agent's can leave them out. */
  private String testUrl(String database) {
    return url(database) + "?ApplicationName=" + TEST_APPLICATION_NAME;
  }

  /** The server's log, for a failure's message. */
  public String log() {
    try {
      Path log = dataDirectory.resolveSibling("server.log");
      return Files.exists(log) ? Files.readString(log) : "(no log)";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void appendSettings(Map<String, String> settings) {
    String lines = settings.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue())
        .collect(Collectors.joining("\n", "\n", "\n"));
    try {
      Files.writeString(dataDirectory.resolve("postgresql.auto.conf"), lines, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the server if it runs and deletes its directory. */
  public void destroy() {
    ServerProcess.run(ServerProcess.asPostgresUser(BIN.resolve("pg_ctl").toString(), "-D",
        dataDirectory.toString(), "-m", "immediate", "-w", "stop"), 1, 3);
    ServerProcess.run(List.of("rm", "-rf", dataDirectory.getParent().toString()));
  }

  @Override
  public void close() {
    destroy();
  }
}
