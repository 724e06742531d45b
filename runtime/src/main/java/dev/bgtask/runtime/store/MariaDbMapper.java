package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** MariaDB's claim: a locking read of whole rows, then the mark. Registered only on MariaDB, as {@link PostgresMapper} is on PostgreSQL. */
public interface MariaDbMapper {

  /**
   * MariaDB's optimiser, once its statistics see many waiting rows, takes the due-time index for
   * {@code due_at <=} and sorts every waiting row to return the first few; the claim index returns
   * them in order.
   */
  String DUE = "FROM ${prefix}task FORCE INDEX (${prefix}task_claim)" + TaskMapper.WAITING_AND_DUE + " ORDER BY " + TaskMapper.CLAIMING_ORDER;

  /**
   * The due rows to claim, whole and locked, skipping rows another claimer holds: the rows
   * {@link TaskMapper#claim} then marks are the rows read here, so nothing needs reading back.
   */
  @Select("<script>SELECT " + TaskMapper.CLAIMED_COLUMNS + " " + DUE + " FOR UPDATE SKIP LOCKED</script>")
  List<ClaimedTask> lockDue(@Param("now") Instant now, @Param("queues") List<String> queues, @Param("paused") Collection<String> paused,
      @Param("unloadable") Collection<String> unloadable, @Param("ascending") boolean ascending, @Param("limit") int limit,
      @Param("ahead") boolean ahead);

  @Update(TaskMapper.CLAIM)
  int claim(@Param("ids") IdList ids, @Param("token") String token, @Param("worker") String worker, @Param("now") Instant now,
      @Param("ahead") boolean ahead);

  @Select(TaskMapper.FIND_CLAIMED)
  List<ClaimedTask> findClaimed(@Param("token") String token);
}
