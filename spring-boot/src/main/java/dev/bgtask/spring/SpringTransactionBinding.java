package dev.bgtask.spring;

import dev.bgtask.TransactionBinding;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The Spring-managed transaction a {@code @Background} call is made in ({@code @Transactional},
 * {@code TransactionTemplate}, any propagation): its connection to the application's
 * {@code DataSource}, which the agent stores the task through when it is the task database, and a
 * hook that runs once it has committed. {@code REQUIRES_NEW} is a transaction of its own, with its
 * own connection; a nested one shares its outer's and rolls back to its savepoint.
 */
final class SpringTransactionBinding implements TransactionBinding {

  private final ObjectProvider<DataSource> dataSource;

  SpringTransactionBinding(ObjectProvider<DataSource> dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Transaction current() {
    if (!TransactionSynchronizationManager.isSynchronizationActive() || !TransactionSynchronizationManager.isActualTransactionActive()) {
      return null;
    }
    DataSource source = dataSource.getIfUnique();
    Object bound = source == null ? null : TransactionSynchronizationManager.getResource(source);
    Object connection = bound instanceof ConnectionHolder holder && holder.getConnectionHandle() != null ? holder.getConnection() : null;
    return new Transaction() {
      @Override
      public Object connection() {
        return connection;
      }

      @Override
      public void afterCommit(Runnable action) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            action.run();
          }
        });
      }
    };
  }
}
