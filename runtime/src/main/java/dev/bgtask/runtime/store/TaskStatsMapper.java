package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** Each worker JVM's runs per minute and queue; only the JVM that owns a row writes it. */
public interface TaskStatsMapper {

  @Update("UPDATE ${prefix}task_stats SET succeeded = #{s.succeeded}, failed = #{s.failed}, gave_up = #{s.gaveUp},"
      + " run_seconds = #{s.runSeconds}, wait_seconds = #{s.waitSeconds}"
      + " WHERE worker_id = #{s.workerId} AND minute_start = #{s.minuteStart} AND queue_name = #{s.queueName}")
  int update(@Param("s") MinuteStats stats);

  @Insert("INSERT INTO ${prefix}task_stats (worker_id, minute_start, queue_name, succeeded, failed, gave_up, run_seconds, wait_seconds)"
      + " VALUES (#{s.workerId}, #{s.minuteStart}, #{s.queueName}, #{s.succeeded}, #{s.failed}, #{s.gaveUp}, #{s.runSeconds},"
      + " #{s.waitSeconds})")
  int insert(@Param("s") MinuteStats stats);

  @Select("SELECT worker_id, minute_start, queue_name, succeeded, failed, gave_up, run_seconds, wait_seconds"
      + " FROM ${prefix}task_stats WHERE minute_start >= #{since}")
  List<MinuteStats> since(@Param("since") Instant since);

  @Delete("DELETE FROM ${prefix}task_stats WHERE minute_start < #{before}")
  int purgeBefore(@Param("before") Instant before);
}
