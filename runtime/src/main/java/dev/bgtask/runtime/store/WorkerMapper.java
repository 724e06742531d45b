package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** Statements on the worker table, and on the tasks a dead worker left claimed. */
public interface WorkerMapper {

  @Update("UPDATE ${prefix}worker SET heartbeat_at = #{now} WHERE id = #{id}")
  int beat(@Param("id") String id, @Param("now") Instant now);

  @Insert("INSERT INTO ${prefix}worker (id, host, pid, started_at, heartbeat_at, threads, queues)"
      + " VALUES (#{id}, #{host}, #{pid}, #{now}, #{now}, #{threads}, #{queues})")
  int register(@Param("id") String id, @Param("host") String host, @Param("pid") long pid, @Param("now") Instant now,
      @Param("threads") int threads, @Param("queues") String queues);

  @Select("SELECT id FROM ${prefix}worker WHERE heartbeat_at < #{silentSince}")
  List<String> findSilentSince(@Param("silentSince") Instant silentSince);

  /**
   * Takes a silent worker out, if it is silent still: the delete checks the heartbeat again and
   * locks the row, so a heartbeat between finding and reaping keeps the worker alive, and one
   * after it finds its row gone and tells its JVM it was reaped.
   */
  @Delete("DELETE FROM ${prefix}worker WHERE id = #{id} AND heartbeat_at < #{silentSince}")
  int removeIfSilent(@Param("id") String id, @Param("silentSince") Instant silentSince);

  /**
   * The dead worker's claims made ahead of its free threads, which may never have started: their
   * attempts are given back, and the rows are never claimed ahead again.
   */
  @Update("UPDATE ${prefix}task SET claim_token = NULL, claimed_at = NULL, attempts = attempts - 1, orphaned = orphaned + 1,"
      + " last_error = #{error} WHERE claimed_by = #{worker} AND claim_token IS NOT NULL AND claimed_ahead = TRUE")
  int releaseAheadClaimsOf(@Param("worker") String worker, @Param("error") String error);

  /** The dead worker's repeating tasks that have used up their attempts: their chains go on. */
  @Select("SELECT " + TaskMapper.CLAIMED_COLUMNS + " FROM ${prefix}task"
      + " WHERE claimed_by = #{worker} AND claim_token IS NOT NULL AND attempts >= max_attempts AND repeat_period IS NOT NULL")
  List<ClaimedTask> exhaustedRepeatingOf(@Param("worker") String worker);

  /** The dead worker's tasks that have used up their attempts: kept as failed. */
  @Insert("INSERT INTO ${prefix}completed_task (id, task_name, class_name, method_name, descriptor, arguments, queue_name,"
      + " priority, due_at, created_at, attempts, max_attempts, last_error, failed_at, claimed_by, verbose_name, creator,"
      + " repeat_period, repeat_until, max_run_seconds, outcome, finished_at)"
      + " SELECT id, task_name, class_name, method_name, descriptor, arguments, queue_name, priority, due_at, created_at,"
      + " attempts, max_attempts, #{error}, #{now}, claimed_by, verbose_name, creator, repeat_period, repeat_until,"
      + " max_run_seconds, 'FAILED', #{now} FROM ${prefix}task"
      + " WHERE claimed_by = #{worker} AND claim_token IS NOT NULL AND attempts >= max_attempts")
  int copyExhaustedToCompleted(@Param("worker") String worker, @Param("error") String error, @Param("now") Instant now);

  @Delete("DELETE FROM ${prefix}task WHERE claimed_by = #{worker} AND claim_token IS NOT NULL AND attempts >= max_attempts")
  int deleteExhausted(@Param("worker") String worker);

  /** The rest run again; the attempt the dead worker's claim counted stays counted. */
  @Update("UPDATE ${prefix}task SET claim_token = NULL, claimed_at = NULL, last_error = #{error}, failed_at = #{now},"
      + " orphaned = orphaned + 1 WHERE claimed_by = #{worker} AND claim_token IS NOT NULL")
  int releaseClaimsOf(@Param("worker") String worker, @Param("error") String error, @Param("now") Instant now);

  /** Every claim a stopping worker still holds, given back with its attempt counted: it may have run. */
  @Update("UPDATE ${prefix}task SET claim_token = NULL, claimed_at = NULL, last_error = #{error}"
      + " WHERE claimed_by = #{worker} AND claim_token IS NOT NULL")
  int releaseLeftoverClaimsOf(@Param("worker") String worker, @Param("error") String error);

  /** A stopping worker's row goes only once it holds no claim: otherwise the reaper must see it die. */
  @Delete("DELETE FROM ${prefix}worker WHERE id = #{id}"
      + " AND NOT EXISTS (SELECT 1 FROM ${prefix}task WHERE claimed_by = #{id} AND claim_token IS NOT NULL)")
  int forgetIfIdle(@Param("id") String id);

  /** The workers whose heartbeat is at least {@code since}, by id. */
  @Select("SELECT id FROM ${prefix}worker WHERE heartbeat_at >= #{since}")
  List<String> aliveSince(@Param("since") Instant since);

  /** The database's clock, in seconds since the epoch, to the microsecond. */
  @Select(databaseId = "postgresql", value = "SELECT EXTRACT(EPOCH FROM clock_timestamp())")
  @Select(databaseId = "mariadb", value = "SELECT UNIX_TIMESTAMP(NOW(6))")
  @Select("SELECT EXTRACT(EPOCH FROM CURRENT_TIMESTAMP(6))")
  java.math.BigDecimal epochSeconds();
}
