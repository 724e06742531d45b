package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Claims on MariaDB: the locking read returns the whole rows, and the rows it locked are the rows
 * the conditional update marks, so a claim is two statements. Batched finishes as on H2.
 */
final class MariaDbBatchStatements implements BatchStatements {

  private final StoreTransactions transactions;
  private final PortableBatchStatements finishes;

  MariaDbBatchStatements(StoreTransactions transactions) {
    this.transactions = transactions;
    this.finishes = new PortableBatchStatements(transactions);
  }

  @Override
  public List<ClaimedTask> claim(ClaimQuery query) {
    return transactions.inTransaction(MariaDbMapper.class, mapper -> {
      List<ClaimedTask> due = mapper.lockDue(query.now(), query.queues(), query.paused(), query.unloadable(),
          query.ascendingPriority(), query.limit(), query.ahead());
      if (due.isEmpty()) {
        return List.of();
      }
      int marked = mapper.claim(IdList.of(due.stream().map(ClaimedTask::id).toList()), query.token(), query.worker(), query.now(),
          query.ahead());
      if (marked != due.size()) {
        // Locked rows cannot change under us; should a server not hold its locks so, the rows that carry the token are the claim.
        return mapper.findClaimed(query.token());
      }
      return due.stream().map(task -> task.markedClaimed(query.token(), query.worker())).toList();
    });
  }

  @Override
  public Optional<List<Boolean>> finishSucceeded(List<ClaimedTask> tasks, boolean keepHistory, Instant now) {
    return finishes.finishSucceeded(tasks, keepHistory, now);
  }
}
