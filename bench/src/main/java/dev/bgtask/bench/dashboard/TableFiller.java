package dev.bgtask.bench.dashboard;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Fills the task tables the agent created with what a busy production database holds: finished
 * tasks over the last week (one in a hundred failed), tasks waiting now, a few scheduled and
 * running, three worker JVMs and an hour of their per-minute statistics. One set-based INSERT per
 * table, in each database's own way of counting rows.
 */
final class TableFiller {

  private static final int QUEUES = 5;
  private static final int NAMES = 20;

  private final String kind;
  private final String now;

  TableFiller(String kind) {
    this.kind = kind;
    this.now = "TIMESTAMP '" + LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")) + "'";
  }

  void fill(Connection connection, int finished, int waiting) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO bgtask_completed_task (id, task_name, class_name, method_name, descriptor, arguments, queue_name,"
          + " priority, due_at, created_at, attempts, max_attempts, last_error, claimed_by, outcome, finished_at) SELECT n, "
          + concat("'bench.Tasks.run'", text("MOD(n, " + NAMES + ")")) + ", 'bench.Tasks', 'run', '(I)V', "
          + concat("'['", text("n"), "']'") + ", " + concat("'queue-'", text("MOD(n, " + QUEUES + ")")) + ", 0, "
          + secondsBefore("n * 0.6") + ", " + secondsBefore("n * 0.6") + ", 1, 25,"
          + " CASE WHEN MOD(n, 100) = 0 THEN 'java.lang.IllegalStateException: bench failure' END, 'bench-worker-1',"
          + " CASE WHEN MOD(n, 100) = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END, " + secondsBefore("n * 0.6") + " FROM " + numbers(finished));
      statement.execute("INSERT INTO bgtask_task (id, task_name, class_name, method_name, descriptor, arguments, queue_name, priority,"
          + " due_at, created_at, attempts, max_attempts) SELECT " + finished + " + n, "
          + concat("'bench.Tasks.run'", text("MOD(n, " + NAMES + ")")) + ", 'bench.Tasks', 'run', '(I)V', "
          + concat("'['", text(finished + " + n"), "']'") + ", " + concat("'queue-'", text("MOD(n, " + QUEUES + ")")) + ", 0, "
          + secondsBefore("n * 0.01") + ", " + secondsBefore("n * 0.01") + ", 0, 25 FROM " + numbers(waiting));
      for (int worker = 1; worker <= 3; worker++) {
        statement.execute("INSERT INTO bgtask_worker (id, host, pid, started_at, heartbeat_at, threads, queues) VALUES ('bench-worker-"
            + worker + "', 'bench-host-" + worker + "', " + (1000 + worker) + ", " + now + ", " + now + ", 8, NULL)");
        statement.execute("INSERT INTO bgtask_task_stats (worker_id, minute_start, queue_name, succeeded, failed, gave_up, run_seconds,"
            + " wait_seconds) SELECT 'bench-worker-" + worker + "', " + secondsBefore("n * 60") + ", "
            + concat("'queue-'", text("MOD(n, " + QUEUES + ")")) + ", 900, 9, 0, '0,0,300,300,200,100,9,0,0,0,0,0,0,0,0,0,0,0',"
            + " '0,200,300,300,100,9,0,0,0,0,0,0,0,0,0,0,0,0' FROM " + numbers(60));
      }
    }
    if (!connection.getAutoCommit()) {
      connection.commit();
    }
    analyse(connection);
  }

  /** Statistics as a production database has them; right after a bulk load PostgreSQL would plan blind. */
  private void analyse(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String table : new String[] {"bgtask_task", "bgtask_completed_task", "bgtask_task_stats"}) {
        switch (kind) {
          case "postgresql" -> statement.execute("ANALYZE " + table);
          case "mariadb" -> statement.execute("ANALYZE TABLE " + table);
          default -> statement.execute("ANALYZE TABLE " + table);
        }
      }
    }
  }

  private String numbers(int count) {
    return switch (kind) {
      case "postgresql" -> "generate_series(1, " + count + ") AS numbers (n)";
      case "mariadb" -> "(SELECT seq AS n FROM seq_1_to_" + count + ") numbers";
      default -> "(SELECT X AS n FROM SYSTEM_RANGE(1, " + count + ")) numbers";
    };
  }

  private String secondsBefore(String seconds) {
    return switch (kind) {
      case "postgresql" -> "(" + now + " - (" + seconds + ") * INTERVAL '1 second')";
      case "mariadb" -> "(" + now + " - INTERVAL (" + seconds + ") SECOND)";
      default -> "DATEADD(MILLISECOND, -CAST((" + seconds + ") * 1000 AS BIGINT), " + now + ")";
    };
  }

  private String text(String number) {
    return kind.equals("mariadb") ? "CAST(" + number + " AS CHAR)" : "CAST(" + number + " AS VARCHAR(20))";
  }

  private String concat(String... parts) {
    return "CONCAT(" + String.join(", ", parts) + ")";
  }
}
