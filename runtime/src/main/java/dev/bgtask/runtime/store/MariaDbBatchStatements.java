package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Claims on MariaDB: the locking read returns the whole rows, and the rows it locked are the rows
 * the conditional update marks, so a claim is two statements, each sent with its transaction's
 * start or end. While a backlog drains, each read starts where the last full claim ended
 * ({@link ClaimPositions}). Batched finishes as on H2.
 */
final class MariaDbBatchStatements implements BatchStatements {

  private final StoreTransactions transactions;
  private final PortableBatchStatements finishes;
  private final ClaimPositions positions;

  MariaDbBatchStatements(StoreTransactions transactions, LongSupplier nanoTime) {
    this.transactions = transactions;
    this.finishes = new PortableBatchStatements(transactions);
    this.positions = new ClaimPositions(nanoTime);
  }

  /** The tasks a claim took, in claiming order, and the position its read started after (null: the head). */
  private record Claim(List<ClaimedTask> tasks, ClaimPositions.Position start) {
  }

  /** Two round trips: the transaction's start with the locking read, the mark with the commit. */
  @Override
  public List<ClaimedTask> claim(ClaimQuery query) {
    ClaimPositions.Position start = positions.startFor(query);
    Claim claim = transactions.inSelfCommittingTransaction(MariaDbMapper.class, mapper -> {
      List<ClaimedTask> due = beginAndLockDue(mapper, query, start);
      if (due.isEmpty() && start != null) {
        return new Claim(markAndCommit(mapper, query, lockDue(mapper, query, null)), null);
      }
      return new Claim(markAndCommit(mapper, query, due), start);
    });
    positions.claimed(query, claim.start(), claim.tasks());
    return claim.tasks();
  }

  private static List<ClaimedTask> beginAndLockDue(MariaDbMapper mapper, ClaimQuery query, ClaimPositions.Position after) {
    return mapper.beginAndLockDue(query.now(), query.queues(), query.paused(), query.unloadable(), query.ascendingPriority(),
        query.limit(), query.ahead(), after);
  }

  private static List<ClaimedTask> lockDue(MariaDbMapper mapper, ClaimQuery query, ClaimPositions.Position after) {
    return mapper.lockDue(query.now(), query.queues(), query.paused(), query.unloadable(), query.ascendingPriority(), query.limit(),
        query.ahead(), after);
  }

  private static List<ClaimedTask> markAndCommit(MariaDbMapper mapper, ClaimQuery query, List<ClaimedTask> due) {
    if (due.isEmpty()) {
      mapper.commit();
      return List.of();
    }
    int marked = mapper.markAndCommit(IdList.of(due.stream().map(ClaimedTask::id).toList()), query.token(), query.worker(),
        query.now(), query.ahead());
    if (marked != due.size()) {
      // Locked rows cannot change under us; should a server not hold its locks so, the rows that carry the token are the claim.
      return mapper.findClaimed(query.token());
    }
    return due.stream().map(task -> task.markedClaimed(query.token(), query.worker())).toList();
  }

  @Override
  public Optional<List<Boolean>> finishSucceeded(List<ClaimedTask> tasks, boolean keepHistory, Instant now) {
    return finishes.finishSucceeded(tasks, keepHistory, now);
  }
}
