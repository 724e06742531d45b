package dev.bgtask.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A two-node MariaDB Galera cluster of the test's own (Debian's galera-4): node 1 on 127.0.0.2,
 * node 2 on 127.0.0.3, both on port 3316, started and stopped by {@code galera/galera-cluster.sh}.
 */
public final class GaleraCluster implements AutoCloseable {

  private static final int PORT = 3316;

  private final Path directory;

  private GaleraCluster(Path directory) {
    this.directory = directory;
  }

  /** Starts both nodes and waits until they form one cluster. */
  public static GaleraCluster start() {
    try {
      // The servers run as the mysql user, which must reach the directory.
      Path directory = Files.createTempDirectory("bgtask-galera-", PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwxr-xr-x")));
      GaleraCluster cluster = new GaleraCluster(directory);
      ServerProcess.run(List.of("bash", script().toString(), "start", directory.toString()));
      return cluster;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JDBC URL of {@code database} on node 1 or 2. */
  public String url(int node, String database) {
    return "jdbc:mariadb://127.0.0." + (node + 1) + ":" + PORT + "/" + database;
  }

  public void execute(int node, String sql) {
    try (Connection connection = DriverManager.getConnection(url(node, ""), "root", "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError("on Galera node " + node + ": " + sql + ": " + e.getMessage(), e);
    }
  }

  /** A numeric global status variable of one node, such as {@code wsrep_local_cert_failures}. */
  public long status(int node, String variable) {
    try (Connection connection = DriverManager.getConnection(url(node, ""), "root", "");
        PreparedStatement statement = connection.prepareStatement("SHOW GLOBAL STATUS LIKE ?")) {
      statement.setString(1, variable);
      try (ResultSet result = statement.executeQuery()) {
        return result.next() ? Long.parseLong(result.getString(2)) : 0;
      }
    } catch (SQLException e) {
      throw new AssertionError("on Galera node " + node + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    ServerProcess.run(List.of("bash", script().toString(), "stop", directory.toString()), 1);
    ServerProcess.run(List.of("rm", "-rf", directory.toString()));
  }

  private static Path script() {
    try {
      return Path.of(GaleraCluster.class.getResource("/galera/galera-cluster.sh").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
