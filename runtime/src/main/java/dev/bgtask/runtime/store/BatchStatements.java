package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The part of the task store that differs by database: claiming due tasks and recording several
 * finished runs at once. PostgreSQL does each in one statement; H2 and MariaDB in a few, in one
 * transaction.
 */
interface BatchStatements {

  /** {@code nanoTime}: the ticker claims keep time by, where they remember where they ended. */
  static BatchStatements of(Dialect dialect, StoreTransactions transactions, LongSupplier nanoTime) {
    return switch (dialect) {
      case POSTGRESQL -> new PostgresBatchStatements(transactions);
      case MARIADB -> new MariaDbBatchStatements(transactions, nanoTime);
      case H2 -> new PortableBatchStatements(transactions);
    };
  }

  /** Claims what {@code query} asks for and returns the claimed tasks, in no particular order. */
  List<ClaimedTask> claim(ClaimQuery query);

  /**
   * Records the runs as succeeded, none of them repeating. Returns, per task, whether its claim
   * still held; or empty when the batch changed nothing because some claim did not hold, and each
   * run must be recorded alone.
   */
  Optional<List<Boolean>> finishSucceeded(List<ClaimedTask> tasks, boolean keepHistory, Instant now);
}
