package dev.bgtask.runtime.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bgtask.runtime.config.Settings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** The agent's connection pool and MyBatis session factory for the configured database. */
public final class Database implements AutoCloseable {

  /** The embedded default: an H2 file in the working directory that several local JVMs may share. */
  static final String DEFAULT_H2_FILE = "background-tasks";

  private final Dialect dialect;
  private final String url;
  private final HikariDataSource pool;
  private final SqlSessionFactory sessions;

  private Database(Dialect dialect, String url, HikariDataSource pool, String tablePrefix) {
    this.dialect = dialect;
    this.url = url;
    this.pool = pool;
    this.sessions = sessionFactory(pool, tablePrefix, dialect);
  }

  /**
   * Connects, failing at once with {@link DatabaseUnavailableException} when the database cannot
   * be reached, so a wrong URL stops start-up instead of surfacing at the first call.
   */
  public static Database connect(Settings settings) {
    String url = settings.url().isEmpty() ? defaultUrl() : settings.url();
    Dialect dialect = Dialect.ofUrl(url);
    HikariConfig config = new HikariConfig();
    config.setPoolName("bgtask");
    config.setDataSource(dataSource(dialect, url, settings));
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(Math.min(2, settings.poolSize()));
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(1);
    config.setAutoCommit(true);
    try {
      Database database = new Database(dialect, url, new HikariDataSource(config), settings.tablePrefix());
      if (dialect == Dialect.H2) {
        H2ShutdownHook.leaveClosingToTheAgent();
      }
      return database;
    } catch (RuntimeException e) {
      throw new DatabaseUnavailableException("cannot connect to " + url + ": " + rootCause(e)
          + " (check the url, user and password settings)", e);
    }
  }

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
        PGSimpleDataSource postgres = new PGSimpleDataSource();
        postgres.setURL(url);
        postgres.setUser(settings.user());
        postgres.setPassword(settings.password());
        postgres.setConnectTimeout(10);
        return postgres;
      }
      default -> {
        try {
          MariaDbDataSource mariadb = new MariaDbDataSource(url.replaceFirst("^jdbc:mysql:", "jdbc:mariadb:"));
          mariadb.setUser(settings.user());
          mariadb.setPassword(settings.password());
          return mariadb;
        } catch (java.sql.SQLException e) {
          throw new DatabaseUnavailableException("invalid MariaDB URL " + url + ": " + e.getMessage(), e);
        }
      }
    }
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
    return new SqlSessionFactoryBuilder().build(configuration);
  }

  static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  public Dialect dialect() {
    return dialect;
  }

  public String url() {
    return url;
  }

  DataSource dataSource() {
    return pool;
  }

  SqlSessionFactory sessions() {
    return sessions;
  }

  @Override
  public void close() {
    pool.close();
  }
}
