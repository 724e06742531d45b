package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** The management commands' statements: listing, showing and changing tasks by hand. */
public interface TaskAdminMapper {

  String WAITING_OR_RUNNING = "SELECT id, CASE WHEN claim_token IS NULL THEN 'pending' ELSE 'running' END AS state,"
      + " task_name, class_name, method_name, arguments, queue_name, priority, due_at, created_at, attempts, max_attempts,"
      + " last_error, failed_at, claimed_by, verbose_name, creator, NULL AS finished_at FROM ${prefix}task";
  String FINISHED = "SELECT id, CASE WHEN outcome = 'SUCCEEDED' THEN 'succeeded' ELSE 'failed' END AS state,"
      + " task_name, class_name, method_name, arguments, queue_name, priority, due_at, created_at, attempts, max_attempts,"
      + " last_error, failed_at, claimed_by, verbose_name, creator, finished_at FROM ${prefix}completed_task";

  @Select("<script>SELECT * FROM (" + WAITING_OR_RUNNING + " UNION ALL " + FINISHED + ") tasks WHERE 1 = 1"
      + "<if test='state != null'> AND state = #{state}</if>"
      + "<if test='queue != null'> AND queue_name = #{queue}</if>"
      + "<if test='name != null'> AND task_name = #{name}</if>"
      + " ORDER BY id DESC LIMIT #{limit}</script>")
  List<Map<String, Object>> list(@Param("state") String state, @Param("queue") String queue, @Param("name") String name,
      @Param("limit") int limit);

  @Select("SELECT * FROM (" + WAITING_OR_RUNNING + " UNION ALL " + FINISHED + ") tasks WHERE id = #{id}")
  Map<String, Object> find(@Param("id") long id);

  /** A failed task back in the queue, due now, its attempts reset: the same id, the same arguments. */
  @Insert("INSERT INTO ${prefix}task (id, task_name, class_name, method_name, descriptor, arguments, queue_name, priority,"
      + " due_at, created_at, attempts, max_attempts, last_error, failed_at, verbose_name, creator, repeat_period,"
      + " repeat_until, max_run_seconds)"
      + " SELECT id, task_name, class_name, method_name, descriptor, arguments, queue_name, priority, #{now}, created_at,"
      + " 0, max_attempts, last_error, failed_at, verbose_name, creator, repeat_period, repeat_until, max_run_seconds"
      + " FROM ${prefix}completed_task WHERE id = #{id} AND outcome = 'FAILED'")
  int copyFailedBack(@Param("id") long id, @Param("now") Instant now);

  @Delete("DELETE FROM ${prefix}completed_task WHERE id = #{id}")
  int deleteFinished(@Param("id") long id);

  @Update("UPDATE ${prefix}task SET due_at = #{now} WHERE id = #{id} AND claim_token IS NULL")
  int makeDueNow(@Param("id") long id, @Param("now") Instant now);

  @Delete("DELETE FROM ${prefix}task WHERE id = #{id} AND claim_token IS NULL")
  int deleteWaiting(@Param("id") long id);


  /**
   * A claimed task whose worker is gone (no row, or a heartbeat older than {@code aliveSince})
   * waits again, its attempt counted: it may have run.
   */
  @Update("UPDATE ${prefix}task SET claim_token = NULL, claimed_at = NULL, last_error = #{error}, failed_at = #{now}"
      + " WHERE id = #{id} AND claim_token IS NOT NULL"
      + " AND NOT EXISTS (SELECT 1 FROM ${prefix}worker w WHERE w.id = claimed_by AND w.heartbeat_at >= #{aliveSince})")
  int releaseOfGoneWorker(@Param("id") long id, @Param("error") String error, @Param("now") Instant now,
      @Param("aliveSince") Instant aliveSince);

  /** Asks the live worker running a task to cancel it; its heartbeat finds the request. */
  @Update("UPDATE ${prefix}task SET cancel_requested_at = #{now} WHERE id = #{id} AND claim_token IS NOT NULL"
      + " AND cancel_requested_at IS NULL"
      + " AND EXISTS (SELECT 1 FROM ${prefix}worker w WHERE w.id = claimed_by AND w.heartbeat_at >= #{aliveSince})")
  int requestCancel(@Param("id") long id, @Param("now") Instant now, @Param("aliveSince") Instant aliveSince);

  /** A running task whose worker is gone, kept as failed with {@code error}: no worker is left to act on a request. */
  @Insert("INSERT INTO ${prefix}completed_task (id, " + TaskMapper.COLUMNS + ", outcome, finished_at)"
      + " SELECT id, task_name, class_name, method_name, descriptor, arguments, queue_name, priority, due_at, created_at,"
      + " attempts, max_attempts, #{error}, #{now}, claimed_by, verbose_name, creator, repeat_period, repeat_until,"
      + " max_run_seconds, 'FAILED', #{now} FROM ${prefix}task WHERE id = #{id} AND claim_token IS NOT NULL"
      + " AND NOT EXISTS (SELECT 1 FROM ${prefix}worker w WHERE w.id = claimed_by AND w.heartbeat_at >= #{aliveSince})")
  int copyOrphanAsCancelled(@Param("id") long id, @Param("error") String error, @Param("now") Instant now,
      @Param("aliveSince") Instant aliveSince);

  @Delete("DELETE FROM ${prefix}task WHERE id = #{id} AND claim_token IS NOT NULL")
  int deleteClaimed(@Param("id") long id);

  /** Failed tasks back in the queue, due now, their attempts reset (see {@link #copyFailedBack}). */
  @Insert("<script>INSERT INTO ${prefix}task (id, task_name, class_name, method_name, descriptor, arguments, queue_name, priority,"
      + " due_at, created_at, attempts, max_attempts, last_error, failed_at, verbose_name, creator, repeat_period,"
      + " repeat_until, max_run_seconds)"
      + " SELECT id, task_name, class_name, method_name, descriptor, arguments, queue_name, priority, #{now}, created_at,"
      + " 0, max_attempts, last_error, failed_at, verbose_name, creator, repeat_period, repeat_until, max_run_seconds"
      + " FROM ${prefix}completed_task WHERE outcome = 'FAILED' AND id IN"
      + "<foreach item='id' collection='ids' open='(' separator=',' close=')'>#{id}</foreach></script>")
  int copyAllFailedBack(@Param("ids") List<Long> ids, @Param("now") Instant now);

  @Delete("<script>DELETE FROM ${prefix}completed_task WHERE id IN"
      + "<foreach item='id' collection='ids' open='(' separator=',' close=')'>#{id}</foreach>"
      + "<if test='outcome != null'> AND outcome = #{outcome}</if></script>")
  int deleteAllFinished(@Param("ids") List<Long> ids, @Param("outcome") String outcome);

  @Delete("<script>DELETE FROM ${prefix}task WHERE claim_token IS NULL AND id IN"
      + "<foreach item='id' collection='ids' open='(' separator=',' close=')'>#{id}</foreach></script>")
  int deleteAllWaiting(@Param("ids") List<Long> ids);
}
