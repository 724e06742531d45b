package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * Statements only PostgreSQL has: the claim it does in one statement where the others need three,
 * finished runs recorded through arrays (with no history kept, in one DELETE that names the rows it
 * removed), and the NOTIFY that wakes listening workers. Registered only on PostgreSQL: MyBatis
 * refuses an annotated method with no statement for the current database, and these have no
 * sensible default.
 */
public interface PostgresMapper {

  /**
   * PostgreSQL claims in one round-trip. The MATERIALIZED CTE is a fence: the planner cannot turn
   * the limited, locked sub-select into a join that locks or updates more rows than the limit.
   */
  @Select("<script>WITH due AS MATERIALIZED (SELECT id " + TaskMapper.DUE + " FOR UPDATE SKIP LOCKED)"
      + " UPDATE ${prefix}task t SET claim_token = #{token}, claimed_by = #{worker}, claimed_at = #{now}, pending_key = NULL,"
      + " attempts = t.attempts + 1, claimed_ahead = #{ahead} FROM due WHERE t.id = due.id RETURNING " + TaskMapper.CLAIMED_COLUMNS_OF_T
      + "</script>")
  @Options(flushCache = Options.FlushCachePolicy.TRUE, useCache = false)
  List<ClaimedTask> claimDue(@Param("now") Instant now, @Param("queues") List<String> queues,
      @Param("paused") java.util.Collection<String> paused, @Param("unloadable") java.util.Collection<String> unloadable,
      @Param("ascending") boolean ascending, @Param("limit") int limit, @Param("token") String token, @Param("worker") String worker,
      @Param("ahead") boolean ahead);

  /**
   * The finished runs, as (id, claim token) pairs in two arrays: one statement text for any number
   * of them, so PostgreSQL plans it once and the driver keeps it prepared, where an {@code IN} list
   * is a new statement for every batch size.
   */
  String FINISHED_RUNS = "unnest(#{ids,typeHandler=org.apache.ibatis.type.ArrayTypeHandler}::bigint[],"
      + " #{tokens,typeHandler=org.apache.ibatis.type.ArrayTypeHandler}::varchar[]) AS done (id, claim_token)";

  /** The rows of {@link #FINISHED_RUNS} still held by their claims. */
  String STILL_CLAIMED = "t.id = done.id AND t.claim_token = done.claim_token";

  @Insert("INSERT INTO ${prefix}completed_task (id, " + TaskMapper.COLUMNS + ", outcome, finished_at)"
      + " SELECT t.id, " + TaskMapper.COLUMNS + ", #{outcome}, #{now} FROM ${prefix}task t JOIN " + FINISHED_RUNS + " ON " + STILL_CLAIMED)
  int copyAllToCompleted(@Param("ids") Long[] ids, @Param("tokens") String[] tokens, @Param("outcome") String outcome,
      @Param("now") Instant now);

  @Delete("DELETE FROM ${prefix}task t USING " + FINISHED_RUNS + " WHERE " + STILL_CLAIMED)
  int deleteAllClaimed(@Param("ids") Long[] ids, @Param("tokens") String[] tokens);

  /** Like {@link #deleteAllClaimed}, returning the ids of the runs whose claims still held. */
  @Select("DELETE FROM ${prefix}task t USING " + FINISHED_RUNS + " WHERE " + STILL_CLAIMED + " RETURNING t.id")
  @Options(flushCache = Options.FlushCachePolicy.TRUE, useCache = false)
  List<Long> deleteClaimedReturningIds(@Param("ids") Long[] ids, @Param("tokens") String[] tokens);

  /** Wakes the workers listening on this prefix's channel, at the commit of the transaction it runs in. */
  @Update("NOTIFY \"${prefix}task_stored\"")
  int notifyStored();
}
