package dev.bgtask.runtime.store;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The task tables, as the enqueue path and the workers see them. Each method is one short
 * transaction; a method about a claimed run returns {@code false} when the claim token no longer
 * matches, which means another worker owns the task now and this run must change nothing.
 */
public final class TaskStore {

  public enum Outcome { SUCCEEDED, FAILED }

  /** How often one call retries after losing a race on a pending key to concurrent callers. */
  private static final int MAX_KEY_RACES = 50;
  /** Rows written in one transaction at most: enough to amortise a commit, small enough for one statement. */
  static final int MAX_BATCH = 100;

  private final Database database;
  private final boolean ascendingPriority;
  private final Comparator<ClaimedTask> claimingOrder;
  private final GroupCommit<NewTask, Supplier<Long>> inserts = new GroupCommit<>(this::insertAll, MAX_BATCH);
  private final StoreTransactions transactions;
  private final BatchStatements batchStatements;
  private final Set<String> uncertainClaims = ConcurrentHashMap.newKeySet();
  private final StoredTaskNotice notice;

  public TaskStore(Database database) {
    this(database, false);
  }

  /** {@code ascendingPriority}: lower priorities are claimed first. */
  public TaskStore(Database database, boolean ascendingPriority) {
    this(database, ascendingPriority, System::nanoTime);
  }

  /** {@code nanoTime}: the ticker by which claims reread the claim index from its head ({@link ClaimPositions}). */
  TaskStore(Database database, boolean ascendingPriority, LongSupplier nanoTime) {
    this.database = database;
    this.transactions = new StoreTransactions(database);
    this.batchStatements = BatchStatements.of(database.dialect(), transactions, nanoTime);
    this.ascendingPriority = ascendingPriority;
    this.claimingOrder = claimingOrder(ascendingPriority);
    this.notice = new StoredTaskNotice(database);
  }

  /**
   * Stores a task and returns its id once committed: in one statement with concurrent callers'
   * ({@link GroupCommit}) where the dialect allows, else alone; inside
   * {@code BackgroundTasks.inTransaction} in the caller's transaction.
   */
  public long insert(NewTask task) {
    try {
      if (CallerTransaction.current().isPresent()) {
        return insertOne(task);
      }
      long id = database.dialect().sharesCommitsOfConcurrentEnqueues() ? inserts.submit(task).get() : insertAlone(task).get();
      noticeUnlessClaimed(task);
      return id;
    } catch (DatabaseUnavailableException e) {
      if (task.getClaimToken() != null) {
        uncertainClaims.add(task.getClaimToken()); // the row may be stored, claimed by a run that never starts
      }
      throw e;
    }
  }

  private long insertOne(NewTask task) {
    long id = inTransaction(mapper -> {
      mapper.insert(task);
      return task.getId();
    });
    afterStore(task);
    return id;
  }

  /**
   * Wakes the listening workers. Through the caller's connection the NOTIFY goes into the caller's
   * transaction, so it is delivered at the caller's commit (PostgreSQL; elsewhere they poll).
   */
  private void afterStore(NewTask task) {
    Optional<Connection> callers = CallerTransaction.current();
    if (callers.isPresent()) {
      StoredTaskNotice.sendWithin(database, callers.get());
    } else {
      noticeUnlessClaimed(task);
    }
  }

  /** A task stored already claimed runs where it was stored; any other wakes the listening workers. */
  private void noticeUnlessClaimed(NewTask task) {
    if (task.getClaimToken() == null) {
      notice.tasksStored();
    }
  }

  /**
   * One statement, auto-committed, for the batch. If the database refused it for what it holds,
   * nothing was stored, and each task is stored alone, so one caller's bad row (a value too long,
   * say) fails only that caller. Any other error fails every caller at once: the rows may have
   * been committed with the reply lost (stored again they would run twice), and with the database
   * down each would wait out the pool's time-out in turn. Each result yields the id or throws.
   */
  private List<Supplier<Long>> insertAll(List<NewTask> tasks) {
    if (tasks.size() == 1) {
      return List.of(insertAlone(tasks.get(0)));
    }
    try {
      database.autoCommitted(TaskMapper.class, mapper -> mapper.insertAll(tasks));
    } catch (DatabaseUnavailableException together) {
      if (together.isRefusal()) {
        return tasks.stream().map(this::insertAlone).toList();
      }
      DatabaseUnavailableException told = inDoubt(together);
      Supplier<Long> failed = () -> {
        throw told;
      };
      return java.util.Collections.nCopies(tasks.size(), failed);
    }
    return idsInRowOrder(tasks);
  }

  /**
   * Hands the ids of one multi-row INSERT out in the order of its rows. The database draws the
   * identity row by row in that order, so the sorted ids match it, whatever order the driver
   * returned them in (SQL promises none).
   */
  private static List<Supplier<Long>> idsInRowOrder(List<NewTask> tasks) {
    long[] ids = tasks.stream()
        .mapToLong(task -> Objects.requireNonNull(task.getId(), "the INSERT returned no generated key"))
        .sorted().toArray();
    List<Supplier<Long>> results = new ArrayList<>(tasks.size());
    for (int i = 0; i < ids.length; i++) {
      long id = ids[i];
      tasks.get(i).setId(id);
      results.add(() -> id);
    }
    return results;
  }

  /** One row, one statement, committed by itself. */
  private Supplier<Long> insertAlone(NewTask task) {
    try {
      long id = database.autoCommitted(TaskMapper.class, mapper -> {
        mapper.insert(task);
        return task.getId();
      });
      return () -> id;
    } catch (DatabaseUnavailableException e) {
      DatabaseUnavailableException told = inDoubt(e);
      return () -> {
        throw told;
      };
    }
  }

  /**
   * What a caller is told when its store failed: whether the statement was never sent (no
   * connection to be had), or the database may have carried it out with its reply lost.
   */
  private static DatabaseUnavailableException inDoubt(DatabaseUnavailableException e) {
    if (e.isRefusal() || Database.neverSent(e)) {
      return e;
    }
    return new DatabaseUnavailableException(e.getMessage() + "; the database did not confirm the store, so the task may"
        + " have been stored all the same", e.getCause());
  }

  /**
   * Stores a task unless one with the same pending key is waiting; returns the stored or the
   * waiting task's id. The database's unique index decides; a race lost is retried.
   */
  public long insertUnique(NewTask task) {
    for (int attempt = 0; ; attempt++) {
      try {
        return insertOne(task); // not batched: a key violation would fail every row of the batch first
      } catch (DatabaseUnavailableException e) {
        if (!Database.isKeyViolation(e) || attempt >= MAX_KEY_RACES) {
          throw e;
        }
      }
      Long waiting = inTransaction(mapper -> mapper.findPending(task.getPendingKey()));
      if (waiting != null) {
        return waiting;
      }
      // The waiting task was claimed in between: try to store ours again.
    }
  }

  /** Replaces the waiting tasks with the same pending key by this one, in one transaction; a race lost is retried. */
  public long replacePending(NewTask task) {
    for (int attempt = 0; ; attempt++) {
      try {
        long id = inTransaction(mapper -> {
          mapper.deletePending(task.getPendingKey());
          mapper.insert(task);
          return task.getId();
        });
        afterStore(task);
        return id;
      } catch (DatabaseUnavailableException e) {
        if (!Database.isKeyViolation(e) || attempt >= MAX_KEY_RACES) {
          throw e;
        }
      }
    }
  }

  /**
   * Claims up to {@code limit} due tasks for {@code worker}: each claim counts one attempt and gets
   * a fresh token. The conditional update is what makes a task claimable by one worker only.
   */
  public List<ClaimedTask> claim(int limit, List<String> queues, String worker, Instant now) {
    return claim(limit, queues, List.of(), worker, now);
  }

  /** Like {@link #claim(int, List, String, Instant)}, leaving out the {@code paused} queues. */
  public List<ClaimedTask> claim(int limit, List<String> queues, Collection<String> paused, String worker, Instant now) {
    return claim(limit, queues, paused, List.of(), worker, now);
  }

  /**
   * Also leaves out the tasks of classes this JVM cannot load. A claim whose commit cannot be
   * confirmed (the connection broke) may have taken rows no one would ever run: they are given
   * back, by their token, before this store claims again.
   */
  public List<ClaimedTask> claim(int limit, List<String> queues, Collection<String> paused,
      Collection<String> unloadable, String worker, Instant now) {
    return claim(limit, queues, paused, unloadable, worker, now, false);
  }

  /**
   * {@code ahead}: tasks for the worker's queue beyond its free threads. They are marked so, since
   * their JVM may die before they start: reaping then gives their attempts back. A task ever reaped
   * is not claimed ahead again.
   */
  public List<ClaimedTask> claim(int limit, List<String> queues, Collection<String> paused,
      Collection<String> unloadable, String worker, Instant now, boolean ahead) {
    releaseUncertainClaims();
    String token = ClaimTokens.next();
    try {
      ClaimQuery query = new ClaimQuery(now, queues, paused, unloadable, ascendingPriority, limit, token, worker, ahead);
      return batchStatements.claim(query).stream().sorted(claimingOrder).toList();
    } catch (DatabaseUnavailableException e) {
      if (Database.isDeadlockVictim(e)) {
        // Rolled back whole, after retries: other claims (on Galera, another node's) kept winning the same rows.
        return List.of();
      }
      uncertainClaims.add(token);
      throw e;
    }
  }

  /** Tokens of claims whose commit was never confirmed and that are not given back yet. */
  public Set<String> uncertainClaimTokens() {
    return Set.copyOf(uncertainClaims);
  }

  /** Gives back, uncounted, the rows of claims whose commit was never confirmed; their runs never started. */
  public void releaseUncertainClaims() {
    for (String token : List.copyOf(uncertainClaims)) {
      inTransaction(mapper -> mapper.releaseToken(token));
      uncertainClaims.remove(token);
    }
  }

  /** The order the claim picked in; one round-trip's rows come back in no particular order. */
  private static Comparator<ClaimedTask> claimingOrder(boolean ascendingPriority) {
    Comparator<ClaimedTask> byPriority = Comparator.comparingInt(ClaimedTask::priority);
    return (ascendingPriority ? byPriority : byPriority.reversed())
        .thenComparing(ClaimedTask::dueAt).thenComparingLong(ClaimedTask::id);
  }

  /**
   * Records several successful runs, none of them repeating, together. Returns, per task, whether
   * its claim still held. When the batch cannot say (some claim did not hold), each is recorded
   * alone instead.
   */
  public List<Boolean> finishSucceeded(List<ClaimedTask> tasks, boolean keepHistory, Instant now) {
    return batchStatements.finishSucceeded(tasks, keepHistory, now)
        .orElseGet(() -> tasks.stream().map(task -> finish(task, Outcome.SUCCEEDED, keepHistory, now)).toList());
  }

  /** Moves a finished run to the completed table (or drops it when history is off). */
  public boolean finish(ClaimedTask task, Outcome outcome, boolean keepHistory, Instant now) {
    return finish(task, outcome, keepHistory, now, Optional.empty());
  }

  /** Like {@link #finish}, storing the next repetition due at {@code nextRepetition} in the same transaction. */
  public boolean finish(ClaimedTask task, Outcome outcome, boolean keepHistory, Instant now, Optional<Instant> nextRepetition) {
    return inTransaction(mapper -> storeNextRepetition(mapper, task, nextRepetition, now)
        && moveToCompleted(mapper, task, outcome, keepHistory, now));
  }

  /** Records a failed attempt and when to try again. */
  public boolean retryLater(ClaimedTask task, String error, Instant nextDue, Instant now) {
    String stored = ErrorText.storable(error);
    return inTransaction(mapper -> mapper.recordFailure(task.id(), task.claimToken(), stored, now, nextDue) == 1);
  }

  /** Records the last failure and moves the task to the completed table as failed. */
  public boolean giveUp(ClaimedTask task, String error, boolean keepHistory, Instant now) {
    return giveUp(task, error, keepHistory, now, Optional.empty());
  }

  /** Like {@link #giveUp}; a repeating task's chain goes on regardless. */
  public boolean giveUp(ClaimedTask task, String error, boolean keepHistory, Instant now, Optional<Instant> nextRepetition) {
    String stored = ErrorText.storable(error);
    return inTransaction(mapper -> mapper.recordLastError(task.id(), task.claimToken(), stored, now) == 1
        && storeNextRepetition(mapper, task, nextRepetition, now)
        && moveToCompleted(mapper, task, Outcome.FAILED, keepHistory, now));
  }

  private static boolean storeNextRepetition(TaskMapper mapper, ClaimedTask task, Optional<Instant> nextDue, Instant now) {
    return nextDue.isEmpty() || mapper.copyAsNextRepetition(task.id(), task.claimToken(), nextDue.get(), now) == 1;
  }

  /** Hands a claim this JVM cannot run back, uncounted, with the reason as its last error. */
  public boolean releaseUnrunnable(ClaimedTask task, String reason) {
    String stored = ErrorText.storable(reason);
    return inTransaction(mapper -> mapper.releaseUnrunnable(task.id(), task.claimToken(), stored) == 1);
  }

  /** Hands an unrun claim back, uncounted, for another worker to take. */
  public boolean release(ClaimedTask task) {
    return inTransaction(mapper -> mapper.release(task.id(), task.claimToken()) == 1);
  }

  /** Before the JVM exits: wakes the listening workers for tasks stored since the last NOTIFY went out. */
  public void sendPendingNotice() {
    notice.flush();
  }

  /**
   * Hands back the claim of a run that began but whose outcome cannot be recorded, or whose body
   * is still running as its JVM stops: its attempt stays counted, and {@code why} is its last error.
   */
  public boolean releaseCounted(ClaimedTask task, String why, Instant now) {
    String stored = ErrorText.storable(why);
    return inTransaction(mapper -> mapper.releaseCounted(task.id(), task.claimToken(), stored, now) == 1);
  }

  public Optional<Instant> nextDueAt(List<String> queues) {
    return nextDueAt(queues, List.of(), List.of());
  }

  /** The earliest due time of what a claim with these filters would take: paused queues and unloadable classes left out. */
  public Optional<Instant> nextDueAt(List<String> queues, Collection<String> paused, Collection<String> unloadable) {
    return Optional.ofNullable(inTransaction(mapper -> mapper.nextDueAt(queues, paused, unloadable)));
  }

  /** Of the tasks {@code ids} (this JVM's running ones), those someone asked to cancel. */
  public List<Long> cancelRequested(List<Long> ids) {
    return ids.isEmpty() ? List.of() : database.inTransaction(TaskMapper.class, mapper -> mapper.cancelRequested(ids));
  }

  /** Deletes the finished tasks older than {@code before}, in batches, resting longer while {@code draining} says so. */
  public int purgeCompletedBefore(Instant before, BooleanSupplier draining) {
    return new HistoryPurge(database).before(before, draining);
  }

  private static boolean moveToCompleted(TaskMapper mapper, ClaimedTask task, Outcome outcome, boolean keepHistory, Instant now) {
    if (keepHistory && mapper.copyToCompleted(task.id(), task.claimToken(), outcome.name(), now) != 1) {
      return false;
    }
    return mapper.deleteClaimed(task.id(), task.claimToken()) == 1;
  }

  /** One transaction of ours, or, on a thread inside {@code BackgroundTasks.inTransaction}, a part of the caller's. */
  private <T> T inTransaction(Function<TaskMapper, T> work) {
    return transactions.inTransaction(TaskMapper.class, work);
  }
}
