package dev.bgtask.bench.throughput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bgtask.bench.throughput.Contender.Role;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a big table costs our queue: drain and enqueue rates while the task table holds N waiting
 * rows, a drain while a million rows wait for the future, and a drain while the workers purge
 * millions of history rows. The rows are copied in SQL from one task the agent stored, which is
 * quicker than storing them one by one. Prints one JSON line per result, then a Markdown table.
 */
public final class TableSizeBenchmark {

  private static final int WARM_UP = 10_000;
  /** Runs timed in a drain: at 20,000 tasks/s two seconds, so its pauses and claim percentiles are of some hundred claims. */
  private static final int TIMED = 40_000;
  /** Rows beyond N, so the table holds at least N waiting rows while every workload runs. */
  private static final int HEADROOM = 60_000;
  private static final int CHUNK = 500_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ThroughputBenchmark runner;

  public TableSizeBenchmark(Path agentJar) throws Exception {
    this.runner = new ThroughputBenchmark(agentJar, TIMED, List.of());
  }

  /**
   * Runs every workload on each database; the drains beside a purge and without one {@code purgeRuns}
   * times each, alternating, since one drain's longest pause is one event.
   */
  public List<String> run(List<String> databases, List<Integer> sizes, int futureRows, int historyRows, int purgeBacklog,
      int purgeRuns, PrintStream out) throws Exception {
    if (databases.contains("h2")) {
      throw new IllegalArgumentException("the table-size bench runs on postgresql and mariadb");
    }
    if (purgeRuns < 1) {
      throw new IllegalArgumentException("--purge-runs must be at least 1, not " + purgeRuns);
    }
    List<String> lines = new ArrayList<>();
    for (String database : databases) {
      try (AutoCloseable sizing = database.equals("mariadb") ? MariaDbSizing.likePostgres(out) : () -> { }) {
        for (int size : sizes) {
          lines.add(report(out, waiting(database, size)));
        }
        lines.add(report(out, future(database, futureRows)));
        for (int run = 0; run < purgeRuns; run++) {
          lines.add(report(out, purge(database, purgeBacklog, 0)));
          lines.add(report(out, purge(database, purgeBacklog, historyRows)));
        }
      }
    }
    return lines;
  }

  private static String report(PrintStream out, String line) {
    out.println(line);
    return line;
  }

  /** Drain and enqueue rates with {@code size} waiting rows (and a little more) in the task table. */
  private String waiting(String database, int size) throws Exception {
    try (Scratch scratch = Scratch.create(database)) {
      long template = storeTemplate(scratch, database);
      fillTasks(scratch, template, size + HEADROOM, false);
      JsonNode drain = drain(scratch, database, Role.DRAIN, TIMED);
      JsonNode enqueue = JSON.readTree(runner.resultOf(Contender.BACKGROUND_TASK, scratch, Role.STORE, "enqueue",
          String.valueOf(TIMED), "4", String.valueOf(WARM_UP), database));
      return String.format(Locale.ROOT, "{\"benchmark\":\"table-size\",\"db\":\"%s\",\"waiting\":%d,\"drainPerSecond\":%.0f,"
          + "%s,%s,\"enqueuePerSecond\":%.0f}", database, size, drain.get("tasksPerSecond").asDouble(),
          pauses(drain), claimTimes(drain), enqueue.get("tasksPerSecond").asDouble());
    }
  }

  /** A drain of due tasks while {@code futureRows} rows are due only tomorrow. */
  private String future(String database, int futureRows) throws Exception {
    try (Scratch scratch = Scratch.create(database)) {
      long template = storeTemplate(scratch, database);
      fillTasks(scratch, template, futureRows, true);
      fillTasks(scratch, template, HEADROOM, false);
      JsonNode drain = drain(scratch, database, Role.DRAIN, TIMED);
      return String.format(Locale.ROOT, "{\"benchmark\":\"future-rows\",\"db\":\"%s\",\"future\":%d,\"drainPerSecond\":%.0f,"
          + "%s,%s}", database, futureRows, drain.get("tasksPerSecond").asDouble(),
          pauses(drain), claimTimes(drain));
    }
  }

  /**
   * A drain of {@code backlog} tasks by a JVM that keeps history, while {@code historyRows} finished
   * rows older than its retention are there for it to purge; how long the purge took, and the
   * longest time the drain ever stood still.
   */
  private String purge(String database, int backlog, int historyRows) throws Exception {
    try (Scratch scratch = Scratch.create(database)) {
      long template = storeTemplate(scratch, database);
      fillTasks(scratch, template, backlog, false);
      fillHistory(scratch, template, historyRows);
      AtomicLong purgeMillis = new AtomicLong(-1);
      long started = System.nanoTime();
      Thread watcher = new Thread(() -> awaitPurged(scratch, started, purgeMillis), "purge-watcher");
      watcher.setDaemon(true);
      watcher.start();
      JsonNode drain = drain(scratch, database, Role.DRAIN_KEEPING_HISTORY, backlog - WARM_UP);
      // The drain's JVM has exited, and with it the purge: what is left is what it did not get to.
      watcher.interrupt();
      watcher.join(10_000);
      long purged = historyRows - oldHistoryRows(scratch);
      return String.format(Locale.ROOT, "{\"benchmark\":\"purge\",\"db\":\"%s\",\"historyRows\":%d,\"backlog\":%d,\"drained\":%d,"
          + "\"drainPerSecond\":%.0f,\"drainSeconds\":%.1f,%s,%s,\"purgedRows\":%d,\"purgeSeconds\":%s%s}",
          database, historyRows, backlog, drain.get("tasks").asInt(), drain.get("tasksPerSecond").asDouble(),
          drain.get("seconds").asDouble(), pauses(drain), claimTimes(drain), purged, purgeSeconds(purgeMillis.get()),
          drain.has("stoppedAfterSeconds") ? ",\"drainStoppedAfterSeconds\":" + drain.get("stoppedAfterSeconds").asInt() : "");
    }
  }

  /** How long the purge took, or null when the drain ended before it did. */
  private static String purgeSeconds(long millis) {
    return millis < 0 ? "null" : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
  }

  /** How long the drain ever stood still, and how often for 50 ms or more, as JSON members. */
  private static String pauses(JsonNode drain) {
    return String.format(Locale.ROOT, "\"drainLongestGapMs\":%.1f,\"drainPausesOver50Ms\":%d", drain.get("longestGapMs").asDouble(),
        drain.get("pausesOver50Ms").asInt());
  }

  /** The drain's claim percentiles, as JSON members. */
  private static String claimTimes(JsonNode drain) {
    return "\"claimP50Ms\":" + milliseconds(drain.get("claimP50Ms")) + ",\"claimP99Ms\":" + milliseconds(drain.get("claimP99Ms"));
  }

  private static String milliseconds(JsonNode value) {
    return value.isNull() ? "null" : String.format(Locale.ROOT, "%.2f", value.asDouble());
  }

  /** Our drain of {@code tasks} timed runs after {@link #WARM_UP} untimed ones, by a JVM in {@code role}. */
  private JsonNode drain(Scratch scratch, String database, Role role, int tasks) throws Exception {
    return JSON.readTree(runner.resultOf(Contender.BACKGROUND_TASK, scratch, role, "drain", String.valueOf(tasks),
        String.valueOf(WARM_UP), database));
  }

  /** Has the agent store one no-op task (creating the tables); returns its id. */
  private long storeTemplate(Scratch scratch, String database) throws Exception {
    runner.resultOf(Contender.BACKGROUND_TASK, scratch, Role.STORE, "enqueue", "1", "1", "0", database);
    try (Connection connection = connect(scratch); Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT MIN(id) FROM bgtask_task")) {
      result.next();
      return result.getLong(1);
    }
  }

  /** Copies the template task {@code rows} times: due now, or (future) a day later. */
  private static void fillTasks(Scratch scratch, long template, int rows, boolean future) throws SQLException {
    try (Connection connection = connect(scratch); Statement statement = connection.createStatement()) {
      List<String> columns = columns(connection, "bgtask_task");
      columns.remove("id");
      String selected = String.join(", ", columns.stream().map(column -> column.equals("due_at") && future
          ? "t.due_at + INTERVAL " + (scratch.server().equals("postgresql") ? "'1 day'" : "1 DAY") : "t." + column).toList());
      for (int done = 0; done < rows; done += CHUNK) {
        int chunk = Math.min(CHUNK, rows - done);
        statement.executeUpdate("INSERT INTO bgtask_task (" + String.join(", ", columns) + ") SELECT " + selected
            + " FROM bgtask_task t, " + series(scratch, chunk) + " WHERE t.id = " + template);
      }
      analyze(scratch, statement, "bgtask_task");
    }
  }

  /** {@code rows} finished copies of the template, finished thirty days ago: due for purging. */
  private static void fillHistory(Scratch scratch, long template, int rows) throws SQLException {
    try (Connection connection = connect(scratch); Statement statement = connection.createStatement()) {
      List<String> taskColumns = columns(connection, "bgtask_task");
      List<String> columns = columns(connection, "bgtask_completed_task");
      boolean postgres = scratch.server().equals("postgresql");
      for (int done = 0; done < rows; done += CHUNK) {
        int chunk = Math.min(CHUNK, rows - done);
        long offset = 1_000_000_000L + done;
        String selected = String.join(", ", columns.stream().map(column -> switch (column) {
          case "id" -> "g." + (postgres ? "n" : "seq") + " + " + offset;
          case "outcome" -> "'SUCCEEDED'";
          case "finished_at" -> "t.due_at - INTERVAL " + (postgres ? "'30 days'" : "30 DAY");
          default -> taskColumns.contains(column) ? "t." + column : "NULL";
        }).toList());
        statement.executeUpdate("INSERT INTO bgtask_completed_task (" + String.join(", ", columns) + ") SELECT " + selected
            + " FROM bgtask_task t, " + series(scratch, chunk) + " WHERE t.id = " + template);
      }
      analyze(scratch, statement, "bgtask_completed_task");
    }
  }

  private static String series(Scratch scratch, int rows) {
    return scratch.server().equals("postgresql") ? "generate_series(1, " + rows + ") AS g(n)" : "seq_1_to_" + rows + " g";
  }

  /**
   * Fresh statistics, and the copy's pages written out: on PostgreSQL a checkpoint, on MariaDB
   * InnoDB's dirty pages flushed. The copy wrote hundreds of megabytes of log, and the flushing it
   * triggers during the measured drain would stall the drain's commits.
   */
  private static void analyze(Scratch scratch, Statement statement, String table) throws SQLException {
    if (scratch.server().equals("postgresql")) {
      statement.execute("VACUUM ANALYZE " + table);
      statement.execute("CHECKPOINT");
    } else {
      statement.execute("ANALYZE TABLE " + table);
      flushDirtyPages(statement);
    }
  }

  /** MariaDB has no CHECKPOINT statement: asking InnoDB to keep no dirty pages makes it write them all. */
  private static void flushDirtyPages(Statement statement) throws SQLException {
    String limit = singleValue(statement, "SELECT @@GLOBAL.innodb_max_dirty_pages_pct");
    statement.execute("SET GLOBAL innodb_max_dirty_pages_pct = 0");
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (Long.parseLong(singleValue(statement, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
          + " WHERE VARIABLE_NAME = 'INNODB_BUFFER_POOL_PAGES_DIRTY'")) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    } finally {
      statement.execute("SET GLOBAL innodb_max_dirty_pages_pct = " + limit);
    }
  }

  private static String singleValue(Statement statement, String query) throws SQLException {
    try (ResultSet result = statement.executeQuery(query)) {
      result.next();
      return result.getString(1);
    }
  }

  private static List<String> columns(Connection connection, String table) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (ResultSet result = connection.getMetaData().getColumns(connection.getCatalog(), null, table, null)) {
      while (result.next()) {
        columns.add(result.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
      }
    }
    return columns;
  }

  /** Records when no history row older than a day is left; stops when interrupted. */
  private static void awaitPurged(Scratch scratch, long started, AtomicLong purgeMillis) {
    try (Connection connection = connect(scratch)) {
      while (!Thread.currentThread().isInterrupted()) {
        if (!hasOldHistory(scratch, connection)) {
          purgeMillis.set((System.nanoTime() - started) / 1_000_000);
          return;
        }
        Thread.sleep(100);
      }
    } catch (SQLException | InterruptedException e) {
      // the drain is over: the purge, finished or not, is counted by what is left
    }
  }

  private static boolean hasOldHistory(Scratch scratch, Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM (SELECT id FROM bgtask_completed_task WHERE finished_at < "
            + aDayAgo(scratch) + " LIMIT 1) o")) {
      result.next();
      return result.getLong(1) > 0;
    }
  }

  private static long oldHistoryRows(Scratch scratch) throws SQLException {
    try (Connection connection = connect(scratch); Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM bgtask_completed_task WHERE finished_at < " + aDayAgo(scratch))) {
      result.next();
      return result.getLong(1);
    }
  }

  private static String aDayAgo(Scratch scratch) {
    return scratch.server().equals("postgresql") ? "now() - INTERVAL '1 day'" : "now() - INTERVAL 1 DAY";
  }

  private static Connection connect(Scratch scratch) throws SQLException {
    return DriverManager.getConnection(scratch.agentTablesUrl(), scratch.user(), "");
  }

  private static String claimCell(JsonNode result) {
    if (result.get("claimP50Ms").isNull()) {
      return "–";
    }
    return String.format(Locale.ROOT, "%.2f / %.2f", result.get("claimP50Ms").asDouble(), result.get("claimP99Ms").asDouble());
  }

  private static String purgeCell(JsonNode result) {
    long rows = result.get("historyRows").asLong();
    if (rows == 0) {
      return "(none)";
    }
    boolean finished = result.get("purgedRows").asLong() == rows;
    return finished ? String.format(Locale.ROOT, "all %,d rows in %.1f s", rows, result.get("purgeSeconds").asDouble())
        : String.format(Locale.ROOT, "%,d rows during the drain's %.1f s", result.get("purgedRows").asLong(), result.get("drainSeconds").asDouble());
  }

  /** The results as a Markdown table. */
  public static String markdown(List<String> lines) throws Exception {
    StringBuilder table = new StringBuilder("| db | rows in the table | drain (tasks/s) | longest pause in the drain (ms) |"
        + " claim p50 / p99 (ms) | enqueue, 4 threads (tasks/s) | purge |\n|---|---|---|---|---|---|---|\n");
    List<String> notes = new ArrayList<>();
    Map<String, PurgeSummary> purges = new LinkedHashMap<>();
    for (String line : lines) {
      JsonNode result = JSON.readTree(line);
      String db = result.get("db").asText();
      switch (result.get("benchmark").asText()) {
        case "table-size" -> table.append(String.format(Locale.ROOT, "| %s | %,d waiting | %,.0f | %.1f | %s | %,.0f | |%n", db,
            result.get("waiting").asLong(), result.get("drainPerSecond").asDouble(), result.get("drainLongestGapMs").asDouble(),
            claimCell(result), result.get("enqueuePerSecond").asDouble()));
        case "future-rows" -> table.append(String.format(Locale.ROOT, "| %s | %,d due tomorrow, %,d due | %,.0f | %.1f | %s | | |%n", db,
            result.get("future").asLong(), HEADROOM, result.get("drainPerSecond").asDouble(), result.get("drainLongestGapMs").asDouble(),
            claimCell(result)));
        default -> {
          boolean firstOfItsKind = purges.computeIfAbsent(db, PurgeSummary::new).add(result);
          if (result.has("drainStoppedAfterSeconds")) {
            notes.add(String.format(Locale.ROOT, "The drain of %s beside %,d history rows was stopped after %d s, with %,d of %,d tasks run;"
                + " its rate is of those.", db, result.get("historyRows").asLong(), result.get("drainStoppedAfterSeconds").asInt(),
                result.get("drained").asLong(), result.get("backlog").asLong()));
          }
          if (firstOfItsKind) {
            table.append(String.format(Locale.ROOT, "| %s | %,d waiting, %,d history rows to purge | %,.0f | %.1f | %s | | %s |%n",
                db, result.get("backlog").asLong(), result.get("historyRows").asLong(), result.get("drainPerSecond").asDouble(),
                result.get("drainLongestGapMs").asDouble(), claimCell(result), purgeCell(result)));
          }
        }
      }
    }
    purges.values().stream().filter(PurgeSummary::repeated).forEach(purge -> notes.add(purge.sentence()));
    notes.forEach(note -> table.append('\n').append(note).append('\n'));
    return table.toString();
  }
}
