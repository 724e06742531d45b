package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * MariaDB's claim: a locking read of whole rows, then the mark, each sent with the transaction's
 * start or end. Registered only on MariaDB, as {@link PostgresMapper} is on PostgreSQL.
 */
public interface MariaDbMapper {

  /**
   * Rows past {@code after} in claiming order, spelt out column by column: the index has priority
   * descending, so no row comparison matches it, and each term is a range of the claim index.
   */
  String AFTER = " AND (priority <if test='ascending'>&gt;</if><if test='!ascending'>&lt;</if> #{after.priority}"
      + " OR (priority = #{after.priority} AND (due_at &gt; #{after.dueAt} OR (due_at = #{after.dueAt} AND id &gt; #{after.id}))))";

  /**
   * MariaDB's optimiser, once its statistics see many waiting rows, takes the due-time index for
   * {@code due_at <=} and sorts every waiting row to return the first few; the claim index returns
   * them in order.
   */
  String DUE = "FROM ${prefix}task FORCE INDEX (${prefix}task_claim)" + TaskMapper.WAITING_AND_DUE + "<if test='after != null'>" + AFTER + "</if>"
      + " ORDER BY " + TaskMapper.CLAIMING_ORDER;

  String LOCK_DUE = "SELECT " + TaskMapper.CLAIMED_COLUMNS + " " + DUE + " FOR UPDATE SKIP LOCKED";

  /**
   * Starts the claim's transaction and reads the due rows to claim, whole and locked, skipping rows
   * another claimer holds: the rows {@link #markAndCommit} then marks are the rows read here, so
   * nothing needs reading back. With {@code after}, the read starts past that row
   * ({@link ClaimPositions}). One round trip for both statements.
   */
  @Select("<script>START TRANSACTION; " + LOCK_DUE + "</script>")
  List<ClaimedTask> beginAndLockDue(@Param("now") Instant now, @Param("queues") List<String> queues,
      @Param("paused") Collection<String> paused, @Param("unloadable") Collection<String> unloadable,
      @Param("ascending") boolean ascending, @Param("limit") int limit, @Param("ahead") boolean ahead,
      @Param("after") ClaimPositions.Position after);

  /** The same read inside the transaction {@link #beginAndLockDue} started. */
  @Select("<script>" + LOCK_DUE + "</script>")
  List<ClaimedTask> lockDue(@Param("now") Instant now, @Param("queues") List<String> queues, @Param("paused") Collection<String> paused,
      @Param("unloadable") Collection<String> unloadable, @Param("ascending") boolean ascending, @Param("limit") int limit,
      @Param("ahead") boolean ahead, @Param("after") ClaimPositions.Position after);

  /** Marks the rows read as claimed and commits, in one round trip; the count is the mark's. */
  @Update(TaskMapper.CLAIM + "; COMMIT")
  int markAndCommit(@Param("ids") IdList ids, @Param("token") String token, @Param("worker") String worker, @Param("now") Instant now,
      @Param("ahead") boolean ahead);

  /** Ends a claim that found nothing to mark. */
  @Update("COMMIT")
  void commit();

  @Select(TaskMapper.FIND_CLAIMED)
  List<ClaimedTask> findClaimed(@Param("token") String token);
}
