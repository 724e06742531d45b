package dev.bgtask.runtime.store;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * PostgreSQL's simple data source, connecting through the agent's own driver instead of through
 * {@code DriverManager}. {@code DriverManager} loads the JVM's drivers once, with the context class
 * loader of the first thread that asks: were that an agent thread, the application's own drivers
 * would never be found, and its {@code DriverManager.getConnection} calls would fail for good.
 */
final class PostgresDataSource extends PGSimpleDataSource {

  private static final long serialVersionUID = 1L;
  private static final Driver DRIVER = new org.postgresql.Driver();

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return getConnection(user, password, java.util.Map.of());
  }

  /** A connection with these driver properties beside the URL's. */
  Connection getConnection(java.util.Map<String, String> driverProperties) throws SQLException {
    return getConnection(getUser(), getPassword(), driverProperties);
  }

  private Connection getConnection(String user, String password, java.util.Map<String, String> driverProperties)
      throws SQLException {
    Properties properties = new Properties();
    properties.putAll(driverProperties);
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    Connection connection = DRIVER.connect(getUrl(), properties);
    if (connection == null) {
      throw new SQLException("not a PostgreSQL URL: " + getUrl());
    }
    return connection;
  }
}
