package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * Statements only PostgreSQL has: the claim it does in one statement where the others need three.
 * Registered only on PostgreSQL: MyBatis refuses an
 * annotated method with no statement for the current database, and these have no sensible default.
 */
public interface PostgresMapper {

  /**
   * PostgreSQL claims in one round-trip. The MATERIALIZED CTE is a fence: the planner cannot turn
   * the limited, locked sub-select into a join that locks or updates more rows than the limit.
   */
  @Select("<script>WITH due AS MATERIALIZED (SELECT id " + TaskMapper.DUE + " FOR UPDATE SKIP LOCKED)"
      + " UPDATE ${prefix}task t SET claim_token = #{token}, claimed_by = #{worker}, claimed_at = #{now}, pending_key = NULL,"
      + " attempts = t.attempts + 1 FROM due WHERE t.id = due.id RETURNING " + TaskMapper.CLAIMED_COLUMNS_OF_T + "</script>")
  @Options(flushCache = Options.FlushCachePolicy.TRUE, useCache = false)
  List<ClaimedTask> claimDue(@Param("now") Instant now, @Param("queues") List<String> queues,
      @Param("paused") java.util.Collection<String> paused, @Param("unloadable") java.util.Collection<String> unloadable,
      @Param("ascending") boolean ascending, @Param("limit") int limit, @Param("token") String token, @Param("worker") String worker);

  /** Wakes the workers listening on this prefix's channel, at the commit of the transaction it runs in. */
  @Update("NOTIFY \"${prefix}task_stored\"")
  int notifyStored();
}
