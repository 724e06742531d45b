package dev.bgtask.bench.throughput;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * db-scheduler's side of the {@link Workloads}: one-time tasks, 8 threads, a 10-connection pool
 * like ours. Its fastest settings: lock-and-fetch polling on PostgreSQL (one {@code UPDATE ...
 * SKIP LOCKED ... RETURNING} per batch; its H2 and MariaDB customizations refuse lock-and-fetch, so
 * there it keeps the default fetch-and-lock-on-execute), immediate execution of tasks scheduled in the same JVM, and a 0.5 s
 * polling interval.
 */
public final class DbSchedulerWorkloads extends Workloads {

  private static final OneTimeTask<Integer> NO_OP = Tasks.oneTime("no-op", Integer.class)
      .execute((instance, context) -> NoOpTask.run(instance.getData()));
  private static final OneTimeTask<Long> PROBE = Tasks.oneTime("probe", Long.class)
      .execute((instance, context) -> LatencyTask.run(instance.getData()));

  private final AtomicLong probes = new AtomicLong();
  private HikariDataSource dataSource;
  private boolean postgres;
  private boolean mariadb;
  private SchedulerClient client;

  public static void main(String[] args) throws Exception {
    new DbSchedulerWorkloads().run(args);
  }

  @Override
  String system() {
    return "db-scheduler";
  }

  @Override
  void connect(String url, String user) throws Exception {
    dataSource = BenchDataSource.pool(url, user);
    postgres = url.startsWith("jdbc:postgresql:");
    mariadb = url.startsWith("jdbc:mariadb:");
    createTableOnce();
    client = SchedulerClient.Builder.create(dataSource, NO_OP, PROBE).build();
  }

  @Override
  void enqueueNoOp(int number) {
    client.schedule(NO_OP.instance("n" + number, number), Instant.now());
  }

  @Override
  void enqueueProbe(long enqueuedAtMicros) {
    client.schedule(PROBE.instance("p" + probes.incrementAndGet() + "-" + enqueuedAtMicros, enqueuedAtMicros), Instant.now());
  }

  @Override
  void startWorkers() {
    SchedulerBuilder builder = Scheduler.create(dataSource, NO_OP, PROBE).threads(8)
        .pollingInterval(Duration.ofMillis(500)).enableImmediateExecution();
    if (postgres) {
      builder.pollUsingLockAndFetch(0.5, 4.0);
    }
    Scheduler scheduler = builder.build();
    scheduler.start();
    client = scheduler; // immediate execution applies to what this scheduler itself schedules
  }

  /**
   * The table from db-scheduler's documented PostgreSQL schema (H2: the same columns; MariaDB: its
   * MySQL schema's types, DATETIME(6) rather than TIMESTAMP, which MariaDB may give an ON UPDATE default).
   */
  private void createTableOnce() throws Exception {
    String bytes = postgres ? "BYTEA" : "BLOB";
    String time = mariadb ? "DATETIME(6)" : "TIMESTAMP WITH TIME ZONE";
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS scheduled_tasks (task_name VARCHAR(100) NOT NULL,"
          + " task_instance VARCHAR(100) NOT NULL, task_data " + bytes + ", execution_time " + time + " NOT NULL,"
          + " picked BOOLEAN NOT NULL, picked_by VARCHAR(50), last_success " + time + ", last_failure " + time + ","
          + " consecutive_failures INT, last_heartbeat " + time + ", version BIGINT NOT NULL, priority SMALLINT,"
          + " PRIMARY KEY (task_name, task_instance))");
      statement.execute("CREATE INDEX IF NOT EXISTS execution_time_idx ON scheduled_tasks (execution_time)");
      statement.execute("CREATE INDEX IF NOT EXISTS last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
      statement.execute("CREATE INDEX IF NOT EXISTS priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time)");
    }
  }
}
