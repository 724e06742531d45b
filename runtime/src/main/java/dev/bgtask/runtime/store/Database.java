package dev.bgtask.runtime.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bgtask.runtime.AgentThreads;
import dev.bgtask.runtime.config.Secrets;
import dev.bgtask.runtime.config.Settings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.time.Instant;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.mariadb.jdbc.MariaDbDataSource;

/** The agent's connection pool and MyBatis session factory for the configured database. */
public final class Database implements AutoCloseable {

  /** The embedded default: an H2 file in the working directory that several local JVMs may share. */
  static final String DEFAULT_H2_FILE = "background-tasks";
  private static final int H2_DATABASE_ALREADY_OPEN = 90020;
  private static final int H2_ERROR_OPENING_DATABASE = 8000;
  private static final java.time.Duration H2_LOCK_PATIENCE = java.time.Duration.ofSeconds(10);
  private static final java.time.Duration H2_SESSIONS_PATIENCE_AT_EXIT = java.time.Duration.ofSeconds(2);
  private static final int DEADLOCK_RETRIES = 10;

  private final Dialect dialect;
  private final String url;
  private final DataSource direct;
  private final Settings settings;
  private Connection probe;
  private HikariDataSource pool;
  private volatile SqlSessionFactory sessions;
  private volatile String identity;
  private final java.util.Map<String, Boolean> reachedByUrl = new java.util.concurrent.ConcurrentHashMap<>();

  private Database(Dialect dialect, String url, DataSource direct, Settings settings, Connection probe) {
    this.dialect = dialect;
    this.url = url;
    this.direct = direct;
    this.settings = settings;
    this.probe = probe;
  }

  /**
   * Checks the database can be reached, failing at once with {@link DatabaseUnavailableException}
   * when it cannot, so a wrong URL stops start-up instead of surfacing at the first call. The
   * probe connection is kept until the pool, built on first use, replaces it.
   *
   * <p>An embedded H2 database is not probed here: it is a local file, and opening it loads the
   * whole H2 engine, which the application's start need not wait for. It opens with the pool.
   */
  public static Database connect(Settings settings) {
    String url = H2WriteDelay.immediate(settings.url().isEmpty() ? defaultUrl() : settings.url());
    String delayWarning = H2WriteDelay.warningFor(url);
    if (delayWarning != null) {
      org.slf4j.LoggerFactory.getLogger(Database.class).warn(delayWarning);
    }
    Dialect dialect = Dialect.ofUrl(url);
    DataSource direct = dataSource(dialect, url, settings);
    Connection probe = isEmbedded(url) ? null : open(direct, url);
    return new Database(dialect, url, direct, settings, probe);
  }

  private static boolean isEmbedded(String url) {
    String lower = url.toLowerCase(java.util.Locale.ROOT);
    return lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:h2:tcp:") && !lower.startsWith("jdbc:h2:ssl:");
  }

  private static Connection open(DataSource direct, String url) {
    try {
      return direct.getConnection();
    } catch (SQLException | RuntimeException e) {
      throw new DatabaseUnavailableException("cannot connect to " + Secrets.masked(url) + ": " + Secrets.masked(rootCause(e))
          + " (check the url, user and password settings)", e);
    }
  }

  /**
   * Builds the pool and runs {@code prepare} (the schema migration) while no other process on this
   * host does the same on the same embedded H2 file: H2 is not safe against two processes opening
   * one file at once, nor against concurrent DDL. Throws {@link DatabaseUnavailableException} when
   * the database cannot be opened.
   */
  public <T> T openExclusively(java.util.function.Supplier<T> prepare) {
    Optional<H2OpenLock> openLock = H2OpenLock.acquire(url);
    try {
      pool();
      return prepare.get();
    } finally {
      openLock.ifPresent(H2OpenLock::close);
    }
  }

  private synchronized HikariDataSource pool() {
    if (pool == null) {
      HikariConfig config = new HikariConfig();
      config.setPoolName("bgtask");
      config.setDataSource(direct);
      config.setMaximumPoolSize(settings.poolSize());
      config.setMinimumIdle(Math.min(2, settings.poolSize()));
      config.setConnectionTimeout(10_000);
      config.setInitializationFailTimeout(1);
      // Hikari adds connections on threads it makes as it needs them, which can be an application thread.
      config.setThreadFactory(AgentThreads.named("bgtask-pool-"));
      config.setAutoCommit(true);
      if (dialect == Dialect.MARIADB) {
        // InnoDB's default REPEATABLE READ takes gap locks on a locking read, which would block
        // enqueues behind every claim.
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
      }
      pool = openPool(config);
      if (dialect == Dialect.H2) {
        H2ShutdownHook.leaveClosingToTheAgent();
      }
      closeProbe();
    }
    return pool;
  }

  /**
   * With {@code AUTO_SERVER}, a JVM that opens the H2 file while another JVM is still opening or
   * closing it is told the file is locked (90020) or cannot be opened (8000), instead of being
   * pointed at the other JVM's server; a moment later it would succeed. So those two are retried
   * for a while.
   */
  private HikariDataSource openPool(HikariConfig config) {
    long deadline = System.nanoTime() + H2_LOCK_PATIENCE.toNanos();
    while (true) {
      try {
        return new HikariDataSource(config);
      } catch (RuntimeException e) {
        if (!(dialect == Dialect.H2 && isH2BusyInAnotherProcess(e) && System.nanoTime() < deadline)) {
          throw new DatabaseUnavailableException("cannot connect to " + Secrets.masked(url) + ": " + Secrets.masked(rootCause(e))
              + " (check the url, user and password settings)", e);
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new DatabaseUnavailableException("interrupted while opening " + Secrets.masked(url), interrupted);
        }
      }
    }
  }

  static boolean isH2BusyInAnotherProcess(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql
          && (sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN || sql.getErrorCode() == H2_ERROR_OPENING_DATABASE)) {
        return true;
      }
    }
    return false;
  }

  private void closeProbe() {
    try {
      if (probe != null) {
        probe.close();
      }
    } catch (SQLException ignored) {
      // it only kept the database open
    }
    probe = null;
  }

  /** Shared by the local JVMs that use it; {@link H2WriteDelay} adds {@code WRITE_DELAY=0}. */
  static String defaultUrl() {
    Path file = Path.of(DEFAULT_H2_FILE).toAbsolutePath();
    return "jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE";
  }

  // Hikari is handed a DataSource, not a driver class name: it would resolve a driver through the
  // thread's context class loader, which is the application's, not the agent's.
  private static DataSource dataSource(Dialect dialect, String url, Settings settings) {
    switch (dialect) {
      case H2 -> {
        org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
        h2.setURL(url);
        h2.setUser(settings.user().isEmpty() ? "sa" : settings.user());
        h2.setPassword(settings.password());
        return h2;
      }
      case POSTGRESQL -> {
        return postgresDataSource(url, settings);
      }
      default -> {
        try {
          MariaDbDataSource mariadb = new MariaDbDataSource(withMultiStatements(url.replaceFirst("^jdbc:mysql:", "jdbc:mariadb:")));
          mariadb.setUser(settings.user());
          mariadb.setPassword(settings.password());
          return mariadb;
        } catch (java.sql.SQLException e) {
          throw new DatabaseUnavailableException("invalid MariaDB URL " + Secrets.masked(url) + ": " + Secrets.masked(e.getMessage()), e);
        }
      }
    }
  }

  /**
   * MariaDB's claim sends its locking read and its mark each with the transaction's start or end
   * ({@link #inSelfCommittingTransaction}); the server runs them together only when the connection
   * allows statements that hold several. The URL's own setting of that option gives way.
   */
  static String withMultiStatements(String url) {
    String without = url.replaceAll("(?i)([?&])allowMultiQueries=[^&]*&?", "$1").replaceAll("[?&]$", "");
    return without + (without.contains("?") ? "&" : "?") + "allowMultiQueries=true";
  }

  private static PostgresDataSource postgresDataSource(String url, Settings settings) {
    PostgresDataSource postgres = new PostgresDataSource();
    postgres.setURL(url);
    postgres.setUser(settings.user());
    postgres.setPassword(settings.password());
    postgres.setConnectTimeout(10);
    // A transaction-mode pooler runs each transaction on any server connection, where a statement
    // prepared in an earlier one does not exist. A URL that sets its own threshold (a pooler that
    // keeps prepared statements, as pgbouncer 1.21+ can) is left as it is.
    if (settings.transactionPooler() && !url.contains("prepareThreshold=")) {
      postgres.setPrepareThreshold(0);
    }
    return postgres;
  }

  private static SqlSessionFactory sessionFactory(DataSource dataSource, String tablePrefix, Dialect dialect) {
    Configuration configuration = new Configuration(new Environment("bgtask", new JdbcTransactionFactory(), dataSource));
    Properties variables = new Properties();
    variables.setProperty("prefix", tablePrefix);
    configuration.setVariables(variables);
    configuration.setDatabaseId(dialect.databaseId());
    configuration.setMapUnderscoreToCamelCase(true);
    configuration.getTypeHandlerRegistry().register(Instant.class, new UtcInstantTypeHandler());
    configuration.addMapper(TaskMapper.class);
    configuration.addMapper(RecurringScheduleMapper.class);
    configuration.addMapper(WorkerMapper.class);
    configuration.addMapper(TaskAdminMapper.class);
    configuration.addMapper(TaskBrowserMapper.class);
    configuration.addMapper(TaskStatsMapper.class);
    configuration.addMapper(QueuePauseMapper.class);
    if (dialect == Dialect.POSTGRESQL) {
      configuration.addMapper(PostgresMapper.class);
    }
    if (dialect == Dialect.MARIADB) {
      configuration.addMapper(MariaDbMapper.class);
    }
    return new SqlSessionFactoryBuilder().build(configuration);
  }

  /** A unique or primary key refused a write (SQLSTATE class 23, the same on H2, PostgreSQL and MariaDB). */
  static boolean isKeyViolation(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
        return true;
      }
    }
    return false;
  }

  /** No connection could be had for the statement (the pool timed out): it never reached the database. */
  static boolean neverSent(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.sql.SQLTransientConnectionException) {
        return true;
      }
    }
    return false;
  }

  static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)) + hintFor(root);
  }

  /**
   * pgjdbc's server-side statements (S_1, S_2...) went missing, were prepared twice or took the
   * wrong parameters: a transaction-mode pooler is in between, and the agent was not told.
   */
  private static String hintFor(Throwable root) {
    return root instanceof SQLException && String.valueOf(root.getMessage()).contains("prepared statement \"S_")
        ? " (a transaction-mode pooler such as pgbouncer is in between: set pooler=transaction)"
        : "";
  }

  public Dialect dialect() {
    return dialect;
  }

  /** The JDBC URL, its password (if it carries one) masked: for messages. */
  public String url() {
    return Secrets.masked(url);
  }

  public DataSource dataSource() {
    return pool();
  }

  /**
   * A connection of its own, outside the pool, for PostgreSQL's LISTEN, to {@code listenUrl} when
   * that is set. Its socket runs
   * {@code onIncomingBytes} as soon as bytes arrive ({@link ArrivalReportingSocketFactory}), unless
   * the URL names a socket factory of its own.
   */
  public Connection openListeningConnection(Runnable onIncomingBytes) throws SQLException {
    DataSource listening = settings.listenUrl().isEmpty() ? direct : postgresDataSource(settings.listenUrl(), settings);
    if (!(listening instanceof PostgresDataSource postgres) || postgres.getUrl().contains("socketFactory=")) {
      return listening.getConnection();
    }
    String key = ArrivalReportingSocketFactory.offer(onIncomingBytes);
    try {
      return postgres.getConnection(java.util.Map.of("socketFactory", ArrivalReportingSocketFactory.class.getName(),
          "socketFactoryArg", key));
    } finally {
      ArrivalReportingSocketFactory.withdraw(key);
    }
  }

  /**
   * Builds MyBatis's statements now, off the callers' path; the agent does it once its start has
   * finished, so the first call does not pay for it.
   */
  public void prepareStatements() {
    sessions();
  }

  /** Built on first use: MyBatis parses every mapper statement, which the JVM's start need not wait for. */
  SqlSessionFactory sessions() {
    SqlSessionFactory built = sessions;
    if (built == null) {
      synchronized (this) {
        built = sessions;
        if (built == null) {
          built = sessionFactory(pool(), settings.tablePrefix(), dialect);
          sessions = built;
        }
      }
    }
    return built;
  }

  /**
   * Runs {@code work} in one transaction: committed, unless it returns {@code Boolean.FALSE} (a
   * fenced write that matched nothing) or throws, which roll back. Errors come out as
   * {@link DatabaseUnavailableException}.
   */
  <M, T> T inTransaction(Class<M> mapperType, java.util.function.Function<M, T> work) {
    return inTransaction(session -> work.apply(session.getMapper(mapperType)));
  }

  /**
   * Runs one statement in auto-commit mode: a single round-trip on PostgreSQL, where a transaction
   * needs a second one for its COMMIT. Errors come out as {@link DatabaseUnavailableException}.
   */
  <M, T> T autoCommitted(Class<M> mapperType, java.util.function.Function<M, T> statement) {
    try (org.apache.ibatis.session.SqlSession session = sessions().openSession(true)) {
      return statement.apply(session.getMapper(mapperType));
    } catch (RuntimeException e) {
      throw new DatabaseUnavailableException("task database error: " + rootCause(e), e);
    }
  }

  /** Like {@link #inTransaction(Class, java.util.function.Function)}, for work that needs several mappers. */
  <T> T inTransaction(java.util.function.Function<org.apache.ibatis.session.SqlSession, T> work) {
    return retriedWhenRolledBackByTheServer(() -> inOneTransaction(work));
  }

  /**
   * Runs {@code work}, whose own statements open and end its transaction (its first statement
   * begins with {@code START TRANSACTION}, its last ends with {@code COMMIT}), on a connection left
   * in auto-commit mode: on MariaDB, switching auto-commit off and on again would cost two round
   * trips more than the work's own. Whatever {@code work} throws, its transaction is rolled back;
   * a connection that cannot roll back is closed, not pooled, since the next statement on it would
   * join that transaction. Retried as {@link #inTransaction} is when the server rolled it back.
   */
  <M, T> T inSelfCommittingTransaction(Class<M> mapperType, java.util.function.Function<M, T> work) {
    return retriedWhenRolledBackByTheServer(() -> {
      try (org.apache.ibatis.session.SqlSession session = sessions().openSession(true)) {
        try {
          return work.apply(session.getMapper(mapperType));
        } catch (RuntimeException e) {
          rollBackOrDiscard(session.getConnection());
          throw e;
        }
      } catch (DatabaseUnavailableException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new DatabaseUnavailableException("task database error: " + rootCause(e), e);
      }
    });
  }

  private void rollBackOrDiscard(Connection connection) {
    try (java.sql.Statement statement = connection.createStatement()) {
      statement.execute("ROLLBACK");
    } catch (SQLException | RuntimeException e) {
      pool().evictConnection(connection);
    }
  }

  private <T> T retriedWhenRolledBackByTheServer(java.util.function.Supplier<T> transaction) {
    for (int attempt = 1; ; attempt++) {
      try {
        return transaction.get();
      } catch (DatabaseUnavailableException e) {
        if (!isDeadlockVictim(e) || attempt >= DEADLOCK_RETRIES) {
          throw e;
        }
        pauseBeforeRetry(attempt);
      }
    }
  }

  /**
   * The database rolled this transaction back to break a deadlock or a serialisation conflict
   * (SQLSTATE 40001 on MariaDB and H2, 40P01 on PostgreSQL): all of it was undone, so running it
   * again is safe. Concurrent {@code removeExistingTasks} calls meet this on MariaDB's unique index,
   * and on Galera a transaction that loses certification to another node's gets it at commit (1213).
   */
  static boolean isDeadlockVictim(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && ("40001".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  private static void pauseBeforeRetry(int attempt) {
    try {
      Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 5 * attempt + 1));
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> T inOneTransaction(java.util.function.Function<org.apache.ibatis.session.SqlSession, T> work) {
    // Closing the session can fail too (the connection is gone): that is the same error, not another kind.
    try (org.apache.ibatis.session.SqlSession session = sessions().openSession(false)) {
      T result = work.apply(session);
      if (Boolean.FALSE.equals(result)) {
        session.rollback(true);
      } else {
        session.commit(true);
      }
      return result;
    } catch (DatabaseUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new DatabaseUnavailableException("task database error: " + rootCause(e), e);
    }
  }

  /**
   * Runs {@code work} through the caller's own connection, inside the caller's transaction: nothing
   * is committed or closed here. Unless the connection is in auto-commit mode, the work runs under
   * a savepoint, so a failure (or a {@code Boolean.FALSE} result) undoes only what it wrote and
   * leaves the caller's transaction usable, even on PostgreSQL.
   */
  <M, T> T onCallerConnection(Connection connection, Class<M> mapperType, java.util.function.Function<M, T> work) {
    Configuration configuration = sessions().getConfiguration();
    org.apache.ibatis.executor.Executor executor = configuration.newExecutor(
        new org.apache.ibatis.transaction.managed.ManagedTransaction(connection, false));
    org.apache.ibatis.session.SqlSession session = new org.apache.ibatis.session.defaults.DefaultSqlSession(configuration, executor, false);
    java.sql.Savepoint savepoint = null;
    try {
      checkSameDatabase(connection);
      savepoint = connection.getAutoCommit() ? null : connection.setSavepoint();
      T result = work.apply(session.getMapper(mapperType));
      if (savepoint != null) {
        if (Boolean.FALSE.equals(result)) {
          connection.rollback(savepoint);
        } else {
          connection.releaseSavepoint(savepoint);
        }
      }
      return result;
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(connection, savepoint);
      if (e instanceof IllegalArgumentException wrongDatabase) {
        throw wrongDatabase;
      }
      throw new DatabaseUnavailableException("task database error: " + rootCause(e), e);
    } finally {
      session.close();
    }
  }

  /**
   * Whether {@code connection}, the application's, reaches this task database: it reads the same
   * {@code database_identity} through it as through the agent's pool. Read under a savepoint, so a
   * database without the table leaves the application's transaction usable; remembered by URL.
   */
  public boolean reaches(Connection connection) {
    try {
      String url = connection.getMetaData().getURL();
      Boolean known = reachedByUrl.get(url);
      if (known != null) {
        return known;
      }
      String own = ownIdentity();
      boolean same = !own.isEmpty() && own.equals(identityThrough(connection));
      reachedByUrl.put(url, same);
      return same;
    } catch (SQLException e) {
      return false;
    }
  }

  private String ownIdentity() {
    String known = identity;
    if (known == null) {
      try (Connection connection = pool().getConnection()) {
        known = readIdentity(connection);
      } catch (SQLException e) {
        throw new DatabaseUnavailableException("cannot read the task database's identity: " + rootCause(e), e);
      }
      identity = known;
    }
    return known;
  }

  /** The identity read through the application's connection, or "" when that database has none. */
  private String identityThrough(Connection connection) throws SQLException {
    java.sql.Savepoint savepoint = connection.getAutoCommit() ? null : connection.setSavepoint();
    try {
      String read = readIdentity(connection);
      if (savepoint != null) {
        connection.releaseSavepoint(savepoint);
      }
      return read;
    } catch (SQLException other) {
      rollbackQuietly(connection, savepoint);
      return "";
    }
  }

  private String readIdentity(Connection connection) throws SQLException {
    try (java.sql.Statement statement = connection.createStatement();
        java.sql.ResultSet result = statement.executeQuery("SELECT id FROM " + settings.tablePrefix() + "database_identity")) {
      return result.next() ? result.getString(1) : "";
    }
  }

  private void checkSameDatabase(Connection connection) throws SQLException {
    String theirs = connection.getMetaData().getURL();
    Dialect their = theirs == null ? null : dialectOrNull(theirs);
    if (their != dialect) {
      throw new IllegalArgumentException("BackgroundTasks.inTransaction: the connection is to " + theirs
          + ", but the task tables are in " + Secrets.masked(url) + "; pass a connection to the task database");
    }
  }

  private static Dialect dialectOrNull(String url) {
    try {
      return Dialect.ofUrl(url);
    } catch (IllegalArgumentException unknown) {
      return null;
    }
  }

  private static void rollbackQuietly(Connection connection, java.sql.Savepoint savepoint) {
    if (savepoint != null) {
      try {
        connection.rollback(savepoint);
      } catch (SQLException ignored) {
        // the connection is broken; the caller's transaction fails at its own commit
      }
    }
  }

  @Override
  public synchronized void close() {
    if (pool != null) {
      pool.close();
    }
    closeProbe();
  }

  /** {@link #close()} at JVM exit, then what H2's own shutdown hook would have done in its place. */
  public synchronized void closeAtExit() {
    close();
    if (dialect == Dialect.H2) {
      H2ShutdownHook.closeDatabasesNow(H2_SESSIONS_PATIENCE_AT_EXIT);
    }
  }
}
