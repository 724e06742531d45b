package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** The queues paused for every JVM, one row each. */
public interface QueuePauseMapper {

  @Select("SELECT queue_name FROM ${prefix}paused_queue")
  List<String> paused();

  @Select("SELECT COUNT(*) FROM ${prefix}paused_queue WHERE queue_name = #{queue}")
  int isPaused(@Param("queue") String queue);

  @Insert("INSERT INTO ${prefix}paused_queue (queue_name, paused_at) VALUES (#{queue}, #{now})")
  int pause(@Param("queue") String queue, @Param("now") Instant now);

  @Delete("DELETE FROM ${prefix}paused_queue WHERE queue_name = #{queue}")
  int resume(@Param("queue") String queue);
}
