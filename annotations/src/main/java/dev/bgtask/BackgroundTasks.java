package dev.bgtask;

import dev.bgtask.internal.TaskBridge;

/** What an application can ask of the agent beyond calling {@code @Background} methods. */
public final class BackgroundTasks {

  private BackgroundTasks() {}

  /** Per-call options; finish with {@link TaskOptions#call}. */
  public static TaskOptions options() {
    return new TaskOptions();
  }

  /**
   * Runs the original body of the lambda's single {@code @Background} call now, in this thread,
   * on the object it was called on, and returns when it is done (django's {@code .now()}). Nothing
   * is stored. An exception from the body is rethrown; a checked one wrapped in {@link TaskFailedException}.
   */
  public static void now(BackgroundCall call) {
    bridge().now(call);
  }

  /**
   * Stores the tasks of every {@code @Background} call the lambda makes through {@code connection},
   * the application's own JDBC connection to the task database, inside its current transaction:
   * they commit or roll back with the application's own writes, and no worker sees them before the
   * commit. A connection in auto-commit mode stores each task at once. The connection is neither
   * committed nor closed here. On PostgreSQL the commit wakes idle workers at once; on H2 and
   * MariaDB they find the tasks at their next poll ({@code sleep}).
   */
  public static void inTransaction(java.sql.Connection connection, BackgroundCall call) {
    bridge().inTransaction(connection, call);
  }

  /** Workers get the receivers of instance-method tasks from {@code resolver} from now on. */
  public static void useInstanceResolver(InstanceResolver resolver) {
    bridge().useInstanceResolver(resolver);
  }

  /**
   * Registers, under a unique name, a schedule that stores the lambda's {@code @Background} call
   * whenever the cron expression fires (in UTC; five fields as in crontab, e.g. {@code "0 2 * * *"},
   * or six with seconds first). Registering the same name again, at every start of every JVM, is
   * harmless: a changed definition replaces the old one, an unchanged one changes nothing. Each
   * fire time runs once across all JVMs sharing the database; fire times missed while no worker
   * ran are skipped. The arguments are stored now, with the schedule.
   */
  public static void recurring(String name, String cron, BackgroundCall call) {
    bridge().recurring(name, cron, null, call);
  }

  /** Like {@link #recurring(String, String, BackgroundCall)}, firing every {@code period}. */
  public static void recurring(String name, java.time.Duration period, BackgroundCall call) {
    bridge().recurring(name, null, period, call);
  }

  /** {@code listener} hears about every task of this JVM from now on, after the ServiceLoader ones. */
  public static void addListener(TaskListener listener) {
    bridge().addListener(listener);
  }

  /** This JVM's workers stop taking tasks at once (running ones finish); with queue names, only from those queues. */
  public static void pause(String... queues) {
    bridge().pause(true, queues);
  }

  /** This JVM's workers take tasks again: from every queue, or only from the named ones. */
  public static void resume(String... queues) {
    bridge().pause(false, queues);
  }

  /**
   * {@code @Background} calls made inside the application's transactions are stored with them from
   * now on, as {@code binding} tells (a framework integration's business; see {@link TransactionBinding}).
   */
  public static void useTransactionBinding(TransactionBinding binding) {
    bridge().useTransactionBinding(binding);
  }

  /**
   * This JVM's workers start taking tasks, if they were held: the agent holds them at start when a
   * framework integration will say when the application is ready (the Spring Boot starter does, once
   * its context is ready). Calling it again, or without a hold, changes nothing.
   */
  public static void startWorkers() {
    bridge().holdWorkers(false);
  }

  /**
   * This JVM's workers stop taking tasks and let the running ones finish, for up to
   * {@code shutdownGrace}; {@link #startWorkers()} starts them again. For a framework whose
   * application closes before the JVM exits (the Spring Boot starter calls it as its context closes).
   */
  public static void stopWorkers() {
    bridge().holdWorkers(true);
  }

  /**
   * The health of the queue as this JVM sees it: {@code status} ({@code UP} or {@code DOWN}) and
   * {@code checks}, each a map with its own {@code status}: what {@code /health} answers.
   */
  public static java.util.Map<String, Object> health() {
    return bridge().health();
  }

  /** Whether the agent is attached to this JVM: without it {@code @Background} methods run as written. */
  public static boolean isAgentAttached() {
    return TaskBridge.isInstalled();
  }

  static TaskBridge.Sink bridge() {
    return TaskBridge.sink();
  }
}
