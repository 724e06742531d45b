package dev.bgtask.runtime.store;

import dev.bgtask.runtime.store.TaskStore.Outcome;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Claims and batched finishes for H2 and MariaDB: a few statements in one transaction each. */
final class PortableBatchStatements implements BatchStatements {

  private final StoreTransactions transactions;

  PortableBatchStatements(StoreTransactions transactions) {
    this.transactions = transactions;
  }

  /** Finds the due ids, marks them with the token, then reads back the rows that carry it. */
  @Override
  public List<ClaimedTask> claim(ClaimQuery query) {
    return transactions.inTransaction(TaskMapper.class, mapper -> {
      List<Long> due = mapper.findDue(query.now(), query.queues(), query.paused(), query.unloadable(),
          query.ascendingPriority(), query.limit(), query.ahead());
      if (due.isEmpty() || mapper.claim(due, query.token(), query.worker(), query.now(), query.ahead()) == 0) {
        return List.of();
      }
      return mapper.findClaimed(query.token());
    });
  }

  @Override
  public Optional<List<Boolean>> finishSucceeded(List<ClaimedTask> tasks, boolean keepHistory, Instant now) {
    boolean allHeld = transactions.inTransaction(TaskMapper.class, mapper -> {
      if (keepHistory && mapper.copyAllToCompleted(tasks, Outcome.SUCCEEDED.name(), now) != tasks.size()) {
        return false;
      }
      return mapper.deleteAllClaimed(tasks) == tasks.size();
    });
    return allHeld ? Optional.of(Collections.nCopies(tasks.size(), true)) : Optional.empty();
  }
}
