package dev.bgtask.runtime.worker;

import dev.bgtask.runtime.AgentThreads;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes this JVM's workers when any JVM stores a task in PostgreSQL: the task table's trigger
 * sends a NOTIFY, which PostgreSQL delivers at the storing transaction's commit. It listens on a
 * connection of its own, outside the pool. Polling ({@code sleep}) stays the fallback: while the
 * connection is down the workers still poll, and after every reconnect they look for work at once,
 * since notifications sent in between are lost. The workers are woken as the notification's bytes
 * reach the socket: pgjdbc returns them only after waiting another millisecond for more.
 */
public final class PostgresNotifyListener {

  private static final Logger log = LoggerFactory.getLogger(PostgresNotifyListener.class);
  private static final int RECEIVE_TIMEOUT_MILLIS = 500;
  private static final long MAX_RECONNECT_BACKOFF_MILLIS = 30_000;

  /** Opens the listening connection, whose socket runs the callback as bytes arrive where it can. */
  public interface Connections {
    Connection open(Runnable onIncomingBytes) throws SQLException;
  }

  private final Connections connections;
  private final String channel;
  private final Runnable wake;
  private final Thread thread;
  private volatile boolean stopping;
  /** Set, on the listening thread itself, when the socket woke the workers for what it is reading now. */
  private boolean wokenBySocket;

  private PostgresNotifyListener(Connections connections, String channel, Runnable wake) {
    this.connections = connections;
    this.channel = channel;
    this.wake = wake;
    this.thread = AgentThreads.newThread(this::listen, "bgtask-notify-listener");
    this.thread.setDaemon(true);
  }

  /** Starts listening on {@code channel}, calling {@code wake} for every batch of notifications. */
  public static PostgresNotifyListener start(Connections connections, String channel, Runnable wake) {
    PostgresNotifyListener listener = new PostgresNotifyListener(connections, channel, wake);
    listener.thread.start();
    return listener;
  }

  public void stop() {
    stopping = true;
  }

  private void listen() {
    long backoff = 0;
    while (!stopping) {
      try (Connection connection = connections.open(this::wakeOnIncomingBytes)) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN \"" + channel + "\"");
        }
        if (backoff > 0) {
          log.info("listening for new tasks again");
          backoff = 0;
        }
        wake.run();
        receive(connection.unwrap(PGConnection.class));
      } catch (Exception e) {
        if (stopping) {
          return;
        }
        backoff = backoff == 0 ? 1_000 : Math.min(backoff * 2, MAX_RECONNECT_BACKOFF_MILLIS);
        log.warn("lost the connection that hears of new tasks ({}); workers poll until it is back, retrying in {} s",
            e.getMessage(), backoff / 1000);
        sleep(backoff);
      }
    }
  }

  private void receive(PGConnection connection) throws SQLException {
    while (!stopping) {
      PGNotification[] notifications = connection.getNotifications(RECEIVE_TIMEOUT_MILLIS);
      if (notifications != null && notifications.length > 0 && !wokenBySocket) {
        wake.run();
      }
      wokenBySocket = false;
    }
  }

  private void wakeOnIncomingBytes() {
    wokenBySocket = true;
    wake.run();
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      stopping = true;
    }
  }
}
