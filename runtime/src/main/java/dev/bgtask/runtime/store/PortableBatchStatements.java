package dev.bgtask.runtime.store;

import dev.bgtask.runtime.store.TaskStore.Outcome;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Claims on H2, and batched finishes on H2 and MariaDB: a few statements in one transaction each. */
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
      if (due.isEmpty() || mapper.claim(IdList.of(due), query.token(), query.worker(), query.now(), query.ahead()) == 0) {
        return List.of();
      }
      return mapper.findClaimed(query.token());
    });
  }

  /** One statement per claim the runs came from (a claim's rows share its token), in one transaction. */
  @Override
  public Optional<List<Boolean>> finishSucceeded(List<ClaimedTask> tasks, boolean keepHistory, Instant now) {
    Map<String, List<Long>> idsByToken = tasks.stream()
        .collect(Collectors.groupingBy(ClaimedTask::claimToken, Collectors.mapping(ClaimedTask::id, Collectors.toList())));
    boolean allHeld = transactions.inTransaction(TaskMapper.class, mapper -> {
      for (Map.Entry<String, List<Long>> claim : idsByToken.entrySet()) {
        IdList ids = IdList.of(claim.getValue());
        int size = claim.getValue().size();
        if (keepHistory && mapper.copyAllToCompleted(claim.getKey(), ids, Outcome.SUCCEEDED.name(), now) != size
            || mapper.deleteAllClaimed(claim.getKey(), ids) != size) {
          return false;
        }
      }
      return true;
    });
    return allHeld ? Optional.of(Collections.nCopies(tasks.size(), true)) : Optional.empty();
  }
}
