package dev.bgtask.runtime.store;

import dev.bgtask.runtime.store.TaskStore.Outcome;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Claims and batched finishes for PostgreSQL, each one statement: the claim is an auto-committed
 * {@code UPDATE ... RETURNING} over {@code SKIP LOCKED} rows, and finished runs are named by two
 * arrays, so one prepared statement serves any batch size.
 */
final class PostgresBatchStatements implements BatchStatements {

  private final StoreTransactions transactions;

  PostgresBatchStatements(StoreTransactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public List<ClaimedTask> claim(ClaimQuery query) {
    return transactions.autoCommitted(PostgresMapper.class, mapper -> mapper.claimDue(query.now(), query.queues(),
        query.paused(), query.unloadable(), query.ascendingPriority(), query.limit(), query.token(), query.worker(), query.ahead()));
  }

  /**
   * With no history kept, one auto-committed DELETE that names the rows it removed: a run whose
   * claim was lost is simply not among them. With history, a copy and a delete in one transaction.
   */
  @Override
  public Optional<List<Boolean>> finishSucceeded(List<ClaimedTask> tasks, boolean keepHistory, Instant now) {
    Long[] ids = tasks.stream().map(ClaimedTask::id).toArray(Long[]::new);
    String[] tokens = tasks.stream().map(ClaimedTask::claimToken).toArray(String[]::new);
    if (!keepHistory) {
      Set<Long> dropped = new HashSet<>(
          transactions.autoCommitted(PostgresMapper.class, mapper -> mapper.deleteClaimedReturningIds(ids, tokens)));
      return Optional.of(tasks.stream().map(task -> dropped.contains(task.id())).toList());
    }
    boolean allHeld = transactions.inTransaction(PostgresMapper.class, mapper ->
        mapper.copyAllToCompleted(ids, tokens, Outcome.SUCCEEDED.name(), now) == tasks.size()
            && mapper.deleteAllClaimed(ids, tokens) == tasks.size());
    return allHeld ? Optional.of(Collections.nCopies(tasks.size(), true)) : Optional.empty();
  }
}
