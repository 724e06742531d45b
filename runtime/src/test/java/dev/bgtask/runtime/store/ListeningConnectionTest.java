package dev.bgtask.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.runtime.config.ConfigSources;
import dev.bgtask.runtime.config.Settings;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** PostgreSQL's listening connection hears a notification as its bytes arrive, before the driver hands it out. */
class ListeningConnectionTest {

  private final ServerDatabase server = ServerDatabase.POSTGRESQL;
  private Database database;

  @AfterEach
  void drop() {
    if (database != null) {
      database.close();
    }
    server.drop();
  }

  @Test
  void theSocketReportsTheNotificationBeforeTheDriverReturnsIt() throws Exception {
    database = server.connect();
    AtomicInteger arrivals = new AtomicInteger();
    try (Connection listening = database.openListeningConnection(arrivals::incrementAndGet)) {
      listen(listening);
      int beforeNotify = arrivals.get();
      notifyOnce(database);
      PGNotification[] heard = listening.unwrap(PGConnection.class).getNotifications(10_000);

      assertEquals(1, heard.length);
      assertTrue(arrivals.get() > beforeNotify, "the socket reported no incoming bytes");
    }
  }

  @Test
  void aSocketFactoryTheUrlNamesIsKept() throws Exception {
    server.connect().close();
    database = Database.connect(Settings.from(ConfigSources.read(Map.of("url", server.url() + "?socketFactory="
        + CountingSocketFactory.class.getName(), "user", "postgres"), new Properties(), Map.of())));
    int socketsBefore = CountingSocketFactory.created.get();
    AtomicInteger arrivals = new AtomicInteger();
    try (Connection listening = database.openListeningConnection(arrivals::incrementAndGet)) {
      listen(listening);
      notifyOnce(database);

      assertEquals(1, listening.unwrap(PGConnection.class).getNotifications(10_000).length);
      assertTrue(CountingSocketFactory.created.get() > socketsBefore, "the URL's socket factory was not used");
      assertEquals(0, arrivals.get());
    }
  }

  private static void listen(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("LISTEN \"listening_test\"");
    }
  }

  private static void notifyOnce(Database database) throws SQLException {
    try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("NOTIFY \"listening_test\"");
    }
  }

  /** An application's own socket factory, named in its URL. */
  public static final class CountingSocketFactory extends SocketFactory {
    static final AtomicInteger created = new AtomicInteger();

    @Override
    public Socket createSocket() {
      created.incrementAndGet();
      return new Socket();
    }

    @Override
    public Socket createSocket(String host, int port) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(String host, int port, java.net.InetAddress localHost, int localPort) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(java.net.InetAddress host, int port) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress localAddress, int localPort) {
      throw new UnsupportedOperationException();
    }
  }
}
