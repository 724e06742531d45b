package dev.bgtask;

/**
 * Lets {@code @Background} calls made inside the application's own transactions be stored with
 * them: a framework integration registers one with {@link BackgroundTasks#useTransactionBinding}
 * (the Spring Boot starter does). At each call the agent asks for the calling thread's transaction;
 * when there is one, the task is stored through that transaction's connection if it reaches the
 * task database (a rollback then leaves nothing), else once the transaction has committed.
 */
@FunctionalInterface
public interface TransactionBinding {

  /** The transaction the calling thread is in, or null when it is in none. Asked at every call: keep it cheap. */
  Transaction current();

  /** One transaction of the application's. */
  interface Transaction {

    /**
     * The {@code java.sql.Connection} this transaction runs on, or null when it has none (typed
     * {@code Object}: this interface is on the boot class path, which cannot see {@code java.sql}).
     * It is used only if it reaches the task database.
     */
    Object connection();

    /** Runs {@code action} once this transaction has committed; never if it rolls back. */
    void afterCommit(Runnable action);
  }
}
