package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** Statements on the recurring-schedule table. */
public interface RecurringScheduleMapper {

  String COLUMNS = "name, task_name, class_name, method_name, descriptor, arguments, queue_name, priority, max_attempts,"
      + " cron, period_ms, next_fire_at, updated_at, max_run_seconds";

  @Select("SELECT " + COLUMNS + " FROM ${prefix}recurring_schedule WHERE name = #{name}")
  RecurringSchedule find(@Param("name") String name);

  @Insert("INSERT INTO ${prefix}recurring_schedule (" + COLUMNS + ") VALUES (#{name}, #{taskName}, #{className},"
      + " #{methodName}, #{descriptor}, #{arguments}, #{queueName}, #{priority}, #{maxAttempts}, #{cron}, #{periodMs},"
      + " #{nextFireAt}, #{updatedAt}, #{maxRunSeconds})")
  int insert(RecurringSchedule schedule);

  @Update("UPDATE ${prefix}recurring_schedule SET task_name = #{taskName}, class_name = #{className},"
      + " method_name = #{methodName}, descriptor = #{descriptor}, arguments = #{arguments}, queue_name = #{queueName},"
      + " priority = #{priority}, max_attempts = #{maxAttempts}, cron = #{cron}, period_ms = #{periodMs},"
      + " next_fire_at = #{nextFireAt}, updated_at = #{updatedAt}, max_run_seconds = #{maxRunSeconds} WHERE name = #{name}")
  int update(RecurringSchedule schedule);

  @Select("SELECT " + COLUMNS + " FROM ${prefix}recurring_schedule WHERE next_fire_at <= #{now} AND disabled = FALSE")
  List<RecurringSchedule> findDue(@Param("now") Instant now);

  /** Takes one fire time: only the JVM whose update matches the fire time it read stores the task. */
  @Update("UPDATE ${prefix}recurring_schedule SET next_fire_at = #{next} WHERE name = #{name} AND next_fire_at = #{fired}")
  int advance(@Param("name") String name, @Param("fired") Instant fired, @Param("next") Instant next);

  @Select("<script>SELECT MIN(next_fire_at) FROM ${prefix}recurring_schedule WHERE disabled = FALSE"
      + "<if test='leftOut.size() > 0'> AND name NOT IN"
      + "<foreach item='n' collection='leftOut' open='(' separator=',' close=')'>#{n}</foreach></if></script>")
  Instant nextFireAt(@Param("leftOut") java.util.Collection<String> leftOut);

  /** Switches a schedule off or on for every JVM; one switched on again fires next at {@code next}, not at the times it missed. */
  @Update("<script>UPDATE ${prefix}recurring_schedule SET disabled = #{disabled}<if test='next != null'>, next_fire_at = #{next}</if>"
      + " WHERE name = #{name} AND disabled = #{wasDisabled}</script>")
  int setDisabled(@Param("name") String name, @Param("disabled") boolean disabled, @Param("wasDisabled") boolean wasDisabled,
      @Param("next") Instant next);
}
