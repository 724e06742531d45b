package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/**
 * What the dashboard reads: pages of tasks by state, newest first, found by keyset ({@code id <
 * before}) so a page deep in millions of rows costs what the first does, and summaries of the hot
 * table, the workers and the per-minute statistics. Nothing here counts the history table whole.
 */
public interface TaskBrowserMapper {

  String LIVE_COLUMNS = "id, task_name, class_name, method_name, queue_name, priority, arguments, due_at, created_at, attempts,"
      + " max_attempts, last_error, failed_at, claimed_by, claimed_at, verbose_name, creator, repeat_period, repeat_until,"
      + " max_run_seconds, cancel_requested_at";

  String FINISHED_COLUMNS = "id, task_name, class_name, method_name, queue_name, priority, arguments, due_at, created_at, attempts,"
      + " max_attempts, last_error, failed_at, claimed_by, verbose_name, creator, repeat_period, repeat_until, max_run_seconds,"
      + " outcome, finished_at";

  /** The live table's rows in one state: waiting (due), scheduled (due later) or running (claimed). */
  String LIVE_STATE = "<choose>"
      + "<when test='state == \"waiting\"'>claim_token IS NULL AND due_at &lt;= #{now}</when>"
      + "<when test='state == \"scheduled\"'>claim_token IS NULL AND due_at &gt; #{now}</when>"
      + "<otherwise>claim_token IS NOT NULL</otherwise></choose>";

  /**
   * {@link #LIVE_STATE} for H2, in a form its claim index cannot serve: H2 then walks the primary
   * key newest first and stops at the page's limit, where through the claim index it reads every
   * waiting row and sorts them (65 ms against a few for 100,000 waiting tasks).
   */
  String LIVE_STATE_H2 = "<choose>"
      + "<when test='state == \"waiting\"'>COALESCE(claim_token, '') = '' AND due_at &lt;= #{now}</when>"
      + "<when test='state == \"scheduled\"'>COALESCE(claim_token, '') = '' AND due_at &gt; #{now}</when>"
      + "<otherwise>COALESCE(claim_token, '') &lt;&gt; ''</otherwise></choose>";

  /** The history table's rows of one outcome: failed or succeeded. */
  String FINISHED_STATE = "outcome = <choose><when test='state == \"failed\"'>'FAILED'</when><otherwise>'SUCCEEDED'</otherwise></choose>";

  /** The search: exact id and queue, text within the name and the arguments (LIKE patterns escaped with '!'). */
  String FILTERS = "<if test='id != null'> AND id = #{id}</if>"
      + "<if test='queue != null'> AND queue_name = #{queue}</if>"
      + "<if test='nameLike != null'> AND task_name LIKE #{nameLike} ESCAPE '!'</if>"
      + "<if test='argumentsLike != null'> AND arguments LIKE #{argumentsLike} ESCAPE '!'</if>";

  String PAGE = "<if test='before != null'> AND id &lt; #{before}</if> ORDER BY id DESC LIMIT #{limit}";

  /**
   * MariaDB walks {@code (outcome, id)} below a page's key from its start, not back from the key (a
   * deep page of succeeded tasks read half a million entries: 600 ms): succeeded tasks, most of the
   * history, are read by the primary key newest first instead; failed ones, a few, by that index.
   */
  String MARIADB_FINISHED = "${prefix}completed_task<if test='state == \"succeeded\"'> FORCE INDEX (PRIMARY)</if> WHERE "
      + FINISHED_STATE + FILTERS + PAGE;

  /**
   * H2 reads the history by {@code (outcome, id)} newest first and stops at the limit only when told
   * which index and ordered by both its columns; otherwise it fetches every row of the outcome to
   * test a search on it, then sorts (12 s against 27 ms for a name search in a million rows).
   */
  String H2_FINISHED = "${prefix}completed_task USE INDEX (${prefix}completed_failed) WHERE " + FINISHED_STATE + FILTERS
      + "<if test='before != null'> AND id &lt; #{before}</if> ORDER BY outcome DESC, id DESC LIMIT #{limit}";

  @Select(databaseId = "h2", value = "<script>SELECT " + LIVE_COLUMNS + " FROM ${prefix}task WHERE " + LIVE_STATE_H2 + FILTERS + PAGE
      + "</script>")
  @Select("<script>SELECT " + LIVE_COLUMNS + " FROM ${prefix}task WHERE " + LIVE_STATE + FILTERS + PAGE + "</script>")
  List<Map<String, Object>> livePage(@Param("state") String state, @Param("now") Instant now, @Param("id") Long id,
      @Param("queue") String queue, @Param("nameLike") String nameLike, @Param("argumentsLike") String argumentsLike,
      @Param("before") Long before, @Param("limit") int limit);

  @Select(databaseId = "h2", value = "<script>SELECT " + FINISHED_COLUMNS + " FROM " + H2_FINISHED + "</script>")
  @Select(databaseId = "mariadb", value = "<script>SELECT " + FINISHED_COLUMNS + " FROM " + MARIADB_FINISHED + "</script>")
  @Select("<script>SELECT " + FINISHED_COLUMNS + " FROM ${prefix}completed_task WHERE " + FINISHED_STATE + FILTERS + PAGE + "</script>")
  List<Map<String, Object>> finishedPage(@Param("state") String state, @Param("id") Long id, @Param("queue") String queue,
      @Param("nameLike") String nameLike, @Param("argumentsLike") String argumentsLike, @Param("before") Long before,
      @Param("limit") int limit);

  /** The ids a bulk action applies to, a batch at a time, newest first. */
  @Select(databaseId = "h2", value = "<script>SELECT id FROM ${prefix}task WHERE " + LIVE_STATE_H2 + FILTERS + PAGE + "</script>")
  @Select("<script>SELECT id FROM ${prefix}task WHERE " + LIVE_STATE + FILTERS + PAGE + "</script>")
  List<Long> liveIds(@Param("state") String state, @Param("now") Instant now, @Param("id") Long id, @Param("queue") String queue,
      @Param("nameLike") String nameLike, @Param("argumentsLike") String argumentsLike, @Param("before") Long before,
      @Param("limit") int limit);

  @Select(databaseId = "h2", value = "<script>SELECT id FROM " + H2_FINISHED + "</script>")
  @Select(databaseId = "mariadb", value = "<script>SELECT id FROM " + MARIADB_FINISHED + "</script>")
  @Select("<script>SELECT id FROM ${prefix}completed_task WHERE " + FINISHED_STATE + FILTERS + PAGE + "</script>")
  List<Long> finishedIds(@Param("state") String state, @Param("id") Long id, @Param("queue") String queue,
      @Param("nameLike") String nameLike, @Param("argumentsLike") String argumentsLike, @Param("before") Long before,
      @Param("limit") int limit);

  /** How many rows a filter matches, counting no further than {@code cap}. */
  @Select("<script>SELECT COUNT(*) FROM (SELECT id FROM ${prefix}task WHERE " + LIVE_STATE + FILTERS
      + " LIMIT #{cap}) matching</script>")
  long countLive(@Param("state") String state, @Param("now") Instant now, @Param("id") Long id, @Param("queue") String queue,
      @Param("nameLike") String nameLike, @Param("argumentsLike") String argumentsLike, @Param("cap") long cap);

  @Select("<script>SELECT COUNT(*) FROM (SELECT id FROM ${prefix}completed_task WHERE " + FINISHED_STATE + FILTERS
      + " LIMIT #{cap}) matching</script>")
  long countFinished(@Param("state") String state, @Param("id") Long id, @Param("queue") String queue,
      @Param("nameLike") String nameLike, @Param("argumentsLike") String argumentsLike, @Param("cap") long cap);

  @Select("SELECT * FROM ${prefix}task WHERE id = #{id}")
  Map<String, Object> liveRow(@Param("id") long id);

  @Select("SELECT * FROM ${prefix}completed_task WHERE id = #{id}")
  Map<String, Object> finishedRow(@Param("id") long id);

  /** The live table by queue, in one pass: waiting, scheduled and running tasks, and the oldest waiting due time. */
  @Select("SELECT queue_name,"
      + " SUM(CASE WHEN claim_token IS NULL AND due_at <= #{now} THEN 1 ELSE 0 END) AS waiting,"
      + " SUM(CASE WHEN claim_token IS NULL AND due_at > #{now} THEN 1 ELSE 0 END) AS scheduled,"
      + " SUM(CASE WHEN claim_token IS NOT NULL THEN 1 ELSE 0 END) AS running,"
      + " MIN(CASE WHEN claim_token IS NULL AND due_at <= #{now} THEN due_at END) AS oldest_due"
      + " FROM ${prefix}task GROUP BY queue_name ORDER BY queue_name")
  List<Map<String, Object>> queueDepths(@Param("now") Instant now);

  /** How many tasks are due and waiting, and since when the oldest of them is: what the waiting gauges show. */
  @Select("SELECT COUNT(*) AS waiting, MIN(due_at) AS oldest_due FROM ${prefix}task WHERE claim_token IS NULL AND due_at <= #{now}")
  Map<String, Object> waitingSummary(@Param("now") Instant now);

  @Select("SELECT id, host, pid, started_at, heartbeat_at, threads, queues FROM ${prefix}worker ORDER BY started_at, id")
  List<Map<String, Object>> workers();

  /** What the workers run now, at most {@code limit} tasks. */
  @Select("SELECT id, task_name, queue_name, claimed_by, claimed_at, attempts, cancel_requested_at FROM ${prefix}task"
      + " WHERE claim_token IS NOT NULL ORDER BY id LIMIT #{limit}")
  List<Map<String, Object>> runningTasks(@Param("limit") int limit);

  @Select("SELECT id, host, pid, started_at, heartbeat_at, threads, queues FROM ${prefix}worker WHERE id = #{id}")
  Map<String, Object> worker(@Param("id") String id);

  @Select("SELECT name, task_name, class_name, method_name, arguments, queue_name, priority, cron, period_ms, next_fire_at,"
      + " updated_at, disabled FROM ${prefix}recurring_schedule ORDER BY name")
  List<Map<String, Object>> recurringSchedules();

  /** Whether any worker JVM is alive: one with a heartbeat at least {@code since}. */
  @Select("SELECT COUNT(*) FROM ${prefix}worker WHERE heartbeat_at >= #{since}")
  int liveWorkers(@Param("since") Instant since);

  /** Claims held by workers silent since before {@code since}: the reaper should have freed them. */
  @Select("SELECT COUNT(*) FROM ${prefix}task t WHERE t.claim_token IS NOT NULL AND NOT EXISTS"
      + " (SELECT 1 FROM ${prefix}worker w WHERE w.id = t.claimed_by AND w.heartbeat_at >= #{since})")
  long claimsOfSilentWorkers(@Param("since") Instant since);
}
