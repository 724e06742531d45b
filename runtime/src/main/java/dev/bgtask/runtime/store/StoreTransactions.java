package dev.bgtask.runtime.store;

import java.sql.Connection;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the task store's statements run: in a transaction of ours, or, on a thread inside
 * {@code BackgroundTasks.inTransaction}, as a part of the caller's transaction like every other
 * write of that thread.
 */
final class StoreTransactions {

  private final Database database;

  StoreTransactions(Database database) {
    this.database = database;
  }

  /**
   * One statement that is a transaction by itself: one round-trip on PostgreSQL, where BEGIN and
   * COMMIT around it take a second.
   */
  <M, T> T autoCommitted(Class<M> mapperType, Function<M, T> statement) {
    Optional<Connection> callers = CallerTransaction.current();
    if (callers.isPresent()) {
      return database.onCallerConnection(callers.get(), mapperType, statement);
    }
    return database.autoCommitted(mapperType, statement);
  }

  /**
   * Work whose statements start and end its transaction themselves
   * ({@link Database#inSelfCommittingTransaction}); always on a connection of ours, even on a
   * thread inside the caller's transaction, whose connection such a start would commit.
   */
  <M, T> T inSelfCommittingTransaction(Class<M> mapperType, Function<M, T> work) {
    return database.inSelfCommittingTransaction(mapperType, work);
  }

  <M, T> T inTransaction(Class<M> mapperType, Function<M, T> work) {
    Optional<Connection> callers = CallerTransaction.current();
    if (callers.isPresent()) {
      return database.onCallerConnection(callers.get(), mapperType, work);
    }
    return database.inTransaction(mapperType, work);
  }
}
