package dev.bgtask.e2e.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The task database a suite runs against: the embedded H2 default in each test directory, or a
 * database of its own on the local PostgreSQL or MariaDB server, created for each test directory
 * and dropped by {@link #dropAll()}. A server that cannot be reached fails the test: it is never
 * skipped. {@link #H2_NAMED_FILE} is an H2 file the application names itself, as
 * {@code url=jdbc:h2:file:DIR/tasks} (no H2 settings, no sharing between JVMs): what a new user
 * writes, used by the suites about what survives a killed JVM.
 */
public enum TestDatabase {
  H2(null, null, null),
  H2_NAMED_FILE(null, null, null),
  POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/", "postgres", "postgres"),
  MARIADB("jdbc:mariadb://127.0.0.1:3306/", "root", "");

  private final String serverUrl;
  private final String user;
  private final String adminDatabase;
  private final Map<Path, String> databases = new ConcurrentHashMap<>();

  TestDatabase(String serverUrl, String user, String adminDatabase) {
    this.serverUrl = serverUrl;
    this.user = user;
    this.adminDatabase = adminDatabase;
  }

  /**
   * The databases the behaviour suites run on: all three, unless {@code bgtask.e2e.databases} names
   * fewer (the run on the newer JDK checks the agent there and covers H2 only).
   */
  public static java.util.List<TestDatabase> underTest() {
    String names = System.getProperty("bgtask.e2e.databases", "H2,POSTGRESQL,MARIADB");
    return java.util.Arrays.stream(names.split(",")).map(String::trim).map(TestDatabase::valueOf).toList();
  }

  /** {@link #underTest()}, with an H2 file named by the application's URL beside the embedded default. */
  public static java.util.List<TestDatabase> underTestWithNamedH2File() {
    java.util.List<TestDatabase> databases = new java.util.ArrayList<>(underTest());
    if (databases.contains(H2)) {
      databases.add(databases.indexOf(H2) + 1, H2_NAMED_FILE);
    }
    return databases;
  }

  /** A child JVM whose agent stores its tasks in this test directory's database. */
  public ChildJvm.Builder jvm(Path directory) {
    ChildJvm.Builder builder = ChildJvm.in(directory);
    if (this == H2) {
      return builder;
    }
    if (this == H2_NAMED_FILE) {
      return builder.environment("BGTASK_URL", url(directory));
    }
    return builder.environment("BGTASK_URL", url(directory)).environment("BGTASK_USER", user);
  }

  /** The test directory's database, as the agent's {@code url} setting. */
  public String url(Path directory) {
    if (this == H2) {
      return "jdbc:h2:file:" + directory.resolve("background-tasks").toAbsolutePath() + ";AUTO_SERVER=TRUE";
    }
    if (this == H2_NAMED_FILE) {
      return "jdbc:h2:file:" + directory.resolve("tasks").toAbsolutePath();
    }
    return serverUrl + databases.computeIfAbsent(directory.toAbsolutePath(), ignored -> create());
  }

  public String user() {
    return isH2() ? "sa" : user;
  }

  public TaskTables tables(Path directory) {
    if (this == H2) {
      return new TaskTables(directory);
    }
    return new TaskTables(url(directory), user(), "");
  }

  public boolean isH2() {
    return this == H2 || this == H2_NAMED_FILE;
  }

  private String create() {
    String name = "bgtask_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    admin("CREATE DATABASE " + name);
    return name;
  }

  /** Drops every database this suite created. */
  public void dropAll() {
    for (String name : databases.values()) {
      admin(this == POSTGRESQL ? "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)" : "DROP DATABASE IF EXISTS " + name);
    }
    databases.clear();
  }

  private void admin(String sql) {
    try (Connection connection = DriverManager.getConnection(serverUrl + adminDatabase, user, "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError(name() + " at " + serverUrl + " is required by this test and could not be used ("
          + e.getMessage() + "); start it with scripts/start-databases.sh", e);
    }
  }
}
