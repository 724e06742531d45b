package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Lang;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * Every statement on the task tables. {@code ${prefix}} is the configured table prefix, bound once
 * when the mapper is built. Every write about a claimed run is fenced by its claim token.
 */
public interface TaskMapper {

  String COLUMNS = "task_name, class_name, method_name, descriptor, arguments, queue_name, priority,"
      + " due_at, created_at, attempts, max_attempts, last_error, failed_at, claimed_by, verbose_name, creator,"
      + " repeat_period, repeat_until, max_run_seconds";

  /** The columns a new row is stored with, in the order of {@link #NEW_ROW}. */
  String NEW_COLUMNS = "task_name, class_name, method_name, descriptor, arguments, queue_name, priority, due_at, created_at,"
      + " attempts, max_attempts, verbose_name, creator, pending_key, repeat_period, repeat_until, max_run_seconds,"
      + " claim_token, claimed_by, claimed_at";

  String NEW_ROW = "(#{taskName}, #{className}, #{methodName}, #{descriptor}, #{arguments}, #{queueName},"
      + " #{priority}, #{dueAt}, #{createdAt}, #{attempts}, #{maxAttempts}, #{verboseName}, #{creator}, #{pendingKey},"
      + " #{repeatPeriod}, #{repeatUntil}, #{maxRunSeconds}, #{claimToken}, #{claimedBy}, #{claimedAt})";

  @Insert("INSERT INTO ${prefix}task (" + NEW_COLUMNS + ") VALUES " + NEW_ROW)
  @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
  int insert(NewTask task);

  /**
   * Several rows in one statement, so concurrent callers' rows share one round-trip and one commit.
   * The keys come back in an order SQL does not promise; {@link TaskStore} hands them out itself.
   */
  @Insert("INSERT INTO ${prefix}task (" + NEW_COLUMNS + ") VALUES " + NEW_ROW)
  @Lang(MultiRowInsert.Driver.class)
  @Options(useGeneratedKeys = true, keyProperty = "tasks.id", keyColumn = "id")
  int insertAll(@Param("tasks") List<NewTask> tasks);

  /** The rows a worker's claim may take, due or not: of its queues, none paused, none of a class it cannot load. */
  String CLAIMABLE = " WHERE claim_token IS NULL"
      + "<if test='queues.size() > 0'> AND queue_name IN"
      + "<foreach item='q' collection='queues' open='(' separator=',' close=')'>#{q}</foreach></if>"
      + "<if test='paused.size() > 0'> AND queue_name NOT IN"
      + "<foreach item='p' collection='paused' open='(' separator=',' close=')'>#{p}</foreach></if>"
      + "<if test='unloadable.size() > 0'> AND class_name NOT IN"
      + "<foreach item='c' collection='unloadable' open='(' separator=',' close=')'>#{c}</foreach></if>";

  /** The waiting, due rows a worker may claim. */
  String WAITING_AND_DUE = CLAIMABLE + " AND due_at &lt;= #{now}<if test='ahead'> AND orphaned = 0</if>";

  String CLAIMING_ORDER = "priority <if test='ascending'>ASC</if><if test='!ascending'>DESC</if>, due_at, id LIMIT #{limit}";

  /** The rows to claim, in claiming order (PostgreSQL; its planner takes the partial claim index unprompted). */
  String DUE = "FROM ${prefix}task" + WAITING_AND_DUE + " ORDER BY " + CLAIMING_ORDER;

  /**
   * H2 reads the claim index in order and stops at the limit only when told which index and
   * ordered by all of its leading columns; otherwise it reads every waiting row and sorts.
   */
  String DUE_ON_H2 = "FROM ${prefix}task USE INDEX (${prefix}task_claim)" + WAITING_AND_DUE + " ORDER BY claim_token, " + CLAIMING_ORDER;

  String CLAIMED_COLUMNS = "id, task_name, class_name, method_name, descriptor, arguments, queue_name, priority, due_at,"
      + " attempts, max_attempts, claim_token, repeat_period, repeat_until, max_run_seconds, claimed_by, scheduled_for, cancel_requested_at";

  String CLAIMED_COLUMNS_OF_T = "t.id, t.task_name, t.class_name, t.method_name, t.descriptor, t.arguments, t.queue_name,"
      + " t.priority, t.due_at, t.attempts, t.max_attempts, t.claim_token, t.repeat_period, t.repeat_until, t.max_run_seconds,"
      + " t.claimed_by, t.scheduled_for, t.cancel_requested_at";

  /**
   * Due ids to claim on H2, unlocked: H2's SKIP LOCKED locks every matching row before the limit,
   * so the conditional {@link #claim} decides alone.
   */
  @Select("<script>SELECT id " + DUE_ON_H2 + "</script>")
  List<Long> findDue(@Param("now") Instant now, @Param("queues") List<String> queues, @Param("paused") java.util.Collection<String> paused,
      @Param("unloadable") java.util.Collection<String> unloadable, @Param("ascending") boolean ascending, @Param("limit") int limit,
      @Param("ahead") boolean ahead);

  @Select("SELECT id FROM ${prefix}task WHERE pending_key = #{key}")
  Long findPending(@Param("key") String key);

  @Delete("DELETE FROM ${prefix}task WHERE pending_key = #{key}")
  int deletePending(@Param("key") String key);

  /** Marks the waiting rows of {@code ids} as claimed by {@code token}. */
  String CLAIM = "UPDATE ${prefix}task SET claim_token = #{token}, claimed_by = #{worker}, claimed_at = #{now}, pending_key = NULL,"
      + " attempts = attempts + 1, claimed_ahead = #{ahead} WHERE claim_token IS NULL AND id IN (${ids})";

  String FIND_CLAIMED = "SELECT " + CLAIMED_COLUMNS + " FROM ${prefix}task WHERE claim_token = #{token}";

  @Update(CLAIM)
  int claim(@Param("ids") IdList ids, @Param("token") String token, @Param("worker") String worker, @Param("now") Instant now,
      @Param("ahead") boolean ahead);

  @Select(FIND_CLAIMED)
  List<ClaimedTask> findClaimed(@Param("token") String token);

  @Insert("INSERT INTO ${prefix}completed_task (id, " + COLUMNS + ", outcome, finished_at)"
      + " SELECT id, " + COLUMNS + ", #{outcome}, #{now} FROM ${prefix}task WHERE id = #{id} AND claim_token = #{token}")
  int copyToCompleted(@Param("id") long id, @Param("token") String token, @Param("outcome") String outcome, @Param("now") Instant now);

  /**
   * Finished runs of one claim at once (H2 and MariaDB; PostgreSQL uses {@link PostgresMapper}'s):
   * the rows of {@code ids} still held by {@code token}.
   */
  @Insert("INSERT INTO ${prefix}completed_task (id, " + COLUMNS + ", outcome, finished_at)"
      + " SELECT id, " + COLUMNS + ", #{outcome}, #{now} FROM ${prefix}task WHERE claim_token = #{token} AND id IN (${ids})")
  int copyAllToCompleted(@Param("token") String token, @Param("ids") IdList ids, @Param("outcome") String outcome, @Param("now") Instant now);

  @Delete("DELETE FROM ${prefix}task WHERE claim_token = #{token} AND id IN (${ids})")
  int deleteAllClaimed(@Param("token") String token, @Param("ids") IdList ids);

  /** The next run of a repeating task: a copy of the claimed row, due at {@code nextDue}, attempts reset. */
  @Insert("INSERT INTO ${prefix}task (task_name, class_name, method_name, descriptor, arguments, queue_name, priority,"
      + " due_at, created_at, attempts, max_attempts, verbose_name, creator, repeat_period, repeat_until, max_run_seconds)"
      + " SELECT task_name, class_name, method_name, descriptor, arguments, queue_name, priority,"
      + " #{nextDue}, #{now}, 0, max_attempts, verbose_name, creator, repeat_period, repeat_until, max_run_seconds"
      + " FROM ${prefix}task WHERE id = #{id} AND claim_token = #{token}")
  int copyAsNextRepetition(@Param("id") long id, @Param("token") String token, @Param("nextDue") Instant nextDue,
      @Param("now") Instant now);

  @Delete("DELETE FROM ${prefix}task WHERE id = #{id} AND claim_token = #{token}")
  int deleteClaimed(@Param("id") long id, @Param("token") String token);

  /** Kept due again later; a repetition keeps the time it was planned for (assigned before due_at: MariaDB assigns in order). */
  @Update("UPDATE ${prefix}task SET last_error = #{error}, failed_at = #{now}, scheduled_for = COALESCE(scheduled_for, due_at),"
      + " due_at = #{nextDue}, claim_token = NULL, claimed_at = NULL WHERE id = #{id} AND claim_token = #{token}")
  int recordFailure(@Param("id") long id, @Param("token") String token, @Param("error") String error,
      @Param("now") Instant now, @Param("nextDue") Instant nextDue);

  @Update("UPDATE ${prefix}task SET last_error = #{error}, failed_at = #{now} WHERE id = #{id} AND claim_token = #{token}")
  int recordLastError(@Param("id") long id, @Param("token") String token, @Param("error") String error, @Param("now") Instant now);

  /** Gives a claim back unrun, saying why: this JVM cannot run it. */
  @Update("UPDATE ${prefix}task SET claim_token = NULL, claimed_at = NULL, attempts = attempts - 1, last_error = #{error}"
      + " WHERE id = #{id} AND claim_token = #{token}")
  int releaseUnrunnable(@Param("id") long id, @Param("token") String token, @Param("error") String error);

  /** Gives back every row of one claim round whose commit was never confirmed; its runs never started. */
  @Update("UPDATE ${prefix}task SET claim_token = NULL, claimed_at = NULL, attempts = attempts - 1 WHERE claim_token = #{token}")
  int releaseToken(@Param("token") String token);

  /** Gives a claim back unrun: the attempt the claim counted did not happen. */
  @Update("UPDATE ${prefix}task SET claim_token = NULL, claimed_at = NULL, attempts = attempts - 1"
      + " WHERE id = #{id} AND claim_token = #{token}")
  int release(@Param("id") long id, @Param("token") String token);

  /** Gives a claim back after its run began: the attempt the claim counted stays counted. */
  @Update("UPDATE ${prefix}task SET claim_token = NULL, claimed_at = NULL, last_error = #{error}, failed_at = #{now}"
      + " WHERE id = #{id} AND claim_token = #{token}")
  int releaseCounted(@Param("id") long id, @Param("token") String token, @Param("error") String error, @Param("now") Instant now);

  /**
   * The earliest due time among the waiting rows a claim with the same filters would take. MariaDB's
   * due-time index holds no claim token ({@link Dialect#schemaV15}): read in due order, it stops at
   * the first waiting row, past the few claimed ones, where {@code MIN} would count every waiting row.
   */
  @Select(databaseId = "mariadb", value = "<script>SELECT due_at FROM ${prefix}task FORCE INDEX (${prefix}task_due_at)"
      + CLAIMABLE + " ORDER BY due_at LIMIT 1</script>")
  @Select("<script>SELECT MIN(due_at) FROM ${prefix}task" + CLAIMABLE + "</script>")
  Instant nextDueAt(@Param("queues") List<String> queues, @Param("paused") java.util.Collection<String> paused,
      @Param("unloadable") java.util.Collection<String> unloadable);

  /** Of {@code ids}, the tasks someone asked to cancel. */
  @Select("<script>SELECT id FROM ${prefix}task WHERE cancel_requested_at IS NOT NULL AND id IN"
      + "<foreach item='id' collection='ids' open='(' separator=',' close=')'>#{id}</foreach></script>")
  List<Long> cancelRequested(@Param("ids") List<Long> ids);

  /**
   * Deletes at most {@code limit} finished rows older than {@code before}: one short statement of a
   * purge done in batches. MariaDB allows no LIMIT in an IN sub-select, but a LIMIT on DELETE.
   */
  @Delete(databaseId = "mariadb", value = "DELETE FROM ${prefix}completed_task WHERE finished_at < #{before} LIMIT #{limit}")
  @Delete("DELETE FROM ${prefix}completed_task WHERE id IN (SELECT id FROM ${prefix}completed_task"
      + " WHERE finished_at < #{before} LIMIT #{limit})")
  int purgeCompletedBatch(@Param("before") Instant before, @Param("limit") int limit);
}
