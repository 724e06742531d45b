package dev.bgtask.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debian's pgbouncer, started by the test on a loopback port in front of a PostgreSQL server, in
 * session or transaction pool mode.
 */
public final class PgBouncer implements AutoCloseable {

  private final Path directory;
  private final int port;
  private final Process process;

  private PgBouncer(Path directory, int port, Process process) {
    this.directory = directory;
    this.port = port;
    this.process = process;
  }

  /**
   * Starts pgbouncer in {@code poolMode} ({@code session} or {@code transaction}) for every database
   * of the PostgreSQL at {@code serverPort}, with at most {@code serverConnections} server
   * connections per database.
   */
  public static PgBouncer start(String poolMode, int serverPort, int serverConnections) {
    Path directory = ServerProcess.directoryForPostgresUser("bgtask-pgbouncer-");
    int port = FreePort.pick();
    write(directory.resolve("userlist.txt"), "\"postgres\" \"\"\n");
    write(directory.resolve("pgbouncer.ini"), String.join("\n",
        "[databases]",
        "* = host=127.0.0.1 port=" + serverPort,
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        "listen_port = " + port,
        "unix_socket_dir =",
        "auth_type = trust",
        "auth_file = " + directory.resolve("userlist.txt"),
        "admin_users = postgres",
        "pool_mode = " + poolMode,
        "default_pool_size = " + serverConnections,
        "max_db_connections = " + serverConnections,
        "max_client_conn = 5000",
        // pgjdbc sends these at connect; pgbouncer would refuse the connection over them
        "ignore_startup_parameters = extra_float_digits,options",
        "logfile = " + directory.resolve("pgbouncer.log"),
        ""));
    try {
      Process process = new ProcessBuilder(ServerProcess.asPostgresUser("/usr/sbin/pgbouncer",
          directory.resolve("pgbouncer.ini").toString()))
          .redirectErrorStream(true).redirectOutput(directory.resolve("stdout.log").toFile()).start();
      PgBouncer bouncer = new PgBouncer(directory, port, process);
      Waiting.until(bouncer::accepts, Duration.ofSeconds(20), () -> "pgbouncer listening on " + port + ": " + bouncer.log());
      return bouncer;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start pgbouncer (scripts/test.sh installs Debian's package)", e);
    }
  }

  public int port() {
    return port;
  }

  /** A JDBC URL of {@code database} through this pooler. */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /**
   * Rows of an admin console command such as {@code SHOW POOLS}, column by name. Read with psql:
   * pgjdbc sets {@code extra_float_digits} after connecting, which the console refuses.
   */
  public List<Map<String, String>> show(String what) {
    List<String> lines = ServerProcess.run(List.of("psql", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres",
        "-X", "-A", "-F", "\t", "-P", "footer=off", "-c", "SHOW " + what, "pgbouncer")).lines().toList();
    List<String> columns = List.of(lines.get(0).split("\t", -1));
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] values = line.split("\t", -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        row.put(columns.get(i), values[i]);
      }
      rows.add(row);
    }
    return rows;
  }

  public String log() {
    try {
      Path log = directory.resolve("pgbouncer.log");
      return Files.exists(log) ? Files.readString(log) : "(no log)";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean accepts() {
    if (!process.isAlive()) {
      throw new AssertionError("pgbouncer exited: " + log());
    }
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ServerProcess.run(List.of("rm", "-rf", directory.toString()));
  }
}
