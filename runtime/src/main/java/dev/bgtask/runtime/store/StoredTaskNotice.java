package dev.bgtask.runtime.store;

import dev.bgtask.runtime.AgentThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the workers listening on PostgreSQL that tasks were stored, with a NOTIFY sent after the
 * storing commit by a thread of its own: at most one is in flight, and stores meanwhile (and for
 * 2 ms after it) share the next; the first store after a quiet spell is sent at once. A NOTIFY
 * inside the storing transaction would make every storing commit in the database wait for the
 * previous one, since PostgreSQL serialises notifying commits under one lock. On H2 and MariaDB
 * there is nothing to send: their workers poll.
 */
final class StoredTaskNotice {

  private static final Logger log = LoggerFactory.getLogger(StoredTaskNotice.class);
  /** After a NOTIFY, stores for this long share the next one: a busy enqueuer sends a few hundred a second, not thousands. */
  private static final long COALESCE_MILLIS = 2;

  /** How long a JVM on its way out waits for a NOTIFY in flight. */
  private static final long FLUSH_PATIENCE_NANOS = 2_000_000_000L;

  private final Database database;
  private boolean pending;
  private boolean sending;
  private Thread sender;

  StoredTaskNotice(Database database) {
    this.database = database;
  }

  /** Tasks were committed: workers elsewhere will hear of it shortly. */
  synchronized void tasksStored() {
    if (database.dialect() != Dialect.POSTGRESQL) {
      return;
    }
    pending = true;
    if (sender == null) {
      sender = AgentThreads.newThread(this::sendUntilInterrupted, "bgtask-notify");
      sender.setDaemon(true);
      sender.start();
    }
    notifyAll();
  }

  /**
   * Before the JVM exits: waits for a NOTIFY in flight and sends the one still waiting for the
   * sender thread, on the calling thread. A JVM that stores a task and exits at once would
   * otherwise close its pool under the sender, and the listening workers would find the task only
   * at their next poll.
   */
  void flush() {
    synchronized (this) {
      long deadline = System.nanoTime() + FLUSH_PATIENCE_NANOS;
      while (sending && System.nanoTime() < deadline) {
        try {
          wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (!pending) {
        return;
      }
      pending = false;
    }
    send();
  }

  /** Sends one NOTIFY now, on a connection of its own (PostgreSQL only). */
  static void sendNow(Database database) {
    if (database.dialect() == Dialect.POSTGRESQL) {
      database.autoCommitted(PostgresMapper.class, PostgresMapper::notifyStored);
    }
  }

  /** Adds the NOTIFY to the caller's open transaction, which delivers it at the caller's commit (PostgreSQL only). */
  static void sendWithin(Database database, java.sql.Connection callers) {
    if (database.dialect() == Dialect.POSTGRESQL) {
      database.onCallerConnection(callers, PostgresMapper.class, PostgresMapper::notifyStored);
    }
  }

  private void sendUntilInterrupted() {
    try {
      while (true) {
        awaitPending();
        try {
          send();
        } finally {
          sent();
        }
        Thread.sleep(COALESCE_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void send() {
    try {
      sendNow(database);
    } catch (RuntimeException e) {
      log.debug("could not notify the workers of stored tasks; they find them at their next poll: {}", e.getMessage());
    }
  }

  private synchronized void awaitPending() throws InterruptedException {
    while (!pending) {
      wait();
    }
    pending = false;
    sending = true;
  }

  private synchronized void sent() {
    sending = false;
    notifyAll();
  }
}
