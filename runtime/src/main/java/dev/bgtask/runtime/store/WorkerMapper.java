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

  @Insert("INSERT INTO ${prefix}worker (id, host, pid, started_at, heartbeat_at) VALUES (#{id}, #{host}, #{pid}, #{now}, #{now})")
  int register(@Param("id") String id, @Param("host") String host, @Param("pid") long pid, @Param("now") Instant now);

  @Select("SELECT id FROM ${prefix}worker WHERE heartbeat_at < #{silentSince}")
  List<String> findSilentSince(@Param("silentSince") Instant silentSince);

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
  @Update("UPDATE ${prefix}task SET claim_token = NULL, claimed_at = NULL, last_error = #{error}, failed_at = #{now}"
      + " WHERE claimed_by = #{worker} AND claim_token IS NOT NULL")
  int releaseClaimsOf(@Param("worker") String worker, @Param("error") String error, @Param("now") Instant now);

  @Delete("DELETE FROM ${prefix}worker WHERE id = #{id}")
  int forget(@Param("id") String id);
}
