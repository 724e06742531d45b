package dev.bgtask.runtime.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The application's own JDBC connection that {@code BackgroundTasks.inTransaction} binds to the
 * calling thread: while bound, every task this thread stores is written through it, so it commits
 * or rolls back with the application's own data.
 */
public final class CallerTransaction {

  private static final ThreadLocal<Connection> bound = new ThreadLocal<>();

  private CallerTransaction() {}

  /** Runs {@code work} with {@code connection} bound to this thread; an outer binding is restored after. */
  public static <E extends Exception> void run(Connection connection, ThrowingRunnable<E> work) throws E {
    Connection outer = bound.get();
    bound.set(java.util.Objects.requireNonNull(connection, "connection"));
    try {
      work.run();
    } finally {
      if (outer == null) {
        bound.remove();
      } else {
        bound.set(outer);
      }
    }
  }

  /** True while this thread's stores go through the application's connection. */
  public static boolean isBound() {
    return bound.get() != null;
  }

  static Optional<Connection> current() {
    return Optional.ofNullable(bound.get());
  }

  /**
   * True while this thread's stores wait for the application's commit: workers must not be woken
   * before it (PostgreSQL's NOTIFY trigger wakes them at the commit itself).
   */
  public static boolean commitsLater() {
    Connection connection = bound.get();
    try {
      return connection != null && !connection.getAutoCommit();
    } catch (SQLException e) {
      return true;
    }
  }

  /** A piece of application code that may throw what the application's lambda throws. */
  @FunctionalInterface
  public interface ThrowingRunnable<E extends Exception> {
    void run() throws E;
  }
}
