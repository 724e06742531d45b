package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

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
  private final java.util.Comparator<ClaimedTask> claimingOrder;
  private final GroupCommit<NewTask, java.util.function.Supplier<Long>> inserts = new GroupCommit<>(this::insertAll, MAX_BATCH);
  private final java.util.Set<String> uncertainClaims = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final StoredTaskNotice notice;

  public TaskStore(Database database) {
    this(database, false);
  }

  /** {@code ascendingPriority}: lower priorities are claimed first. */
  public TaskStore(Database database, boolean ascendingPriority) {
    this.database = database;
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
    java.util.Optional<java.sql.Connection> callers = CallerTransaction.current();
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
   * One statement, auto-committed, for the batch; if it fails, each task alone, so one caller's bad
   * row (a value too long, say) fails only that caller. Each result yields the id or throws that
   * task's error.
   */
  private List<java.util.function.Supplier<Long>> insertAll(List<NewTask> tasks) {
    if (tasks.size() == 1) {
      return List.of(insertAlone(tasks.get(0)));
    }
    try {
      database.autoCommitted(TaskMapper.class, mapper -> mapper.insertAll(tasks));
    } catch (DatabaseUnavailableException together) {
      return tasks.stream().map(this::insertAlone).toList();
    }
    return idsInRowOrder(tasks);
  }

  /**
   * Hands the ids of one multi-row INSERT out in the order of its rows. The database draws the
   * identity row by row in that order, so the sorted ids match it, whatever order the driver
   * returned them in (SQL promises none).
   */
  private static List<java.util.function.Supplier<Long>> idsInRowOrder(List<NewTask> tasks) {
    long[] ids = tasks.stream()
        .mapToLong(task -> java.util.Objects.requireNonNull(task.getId(), "the INSERT returned no generated key"))
        .sorted().toArray();
    List<java.util.function.Supplier<Long>> results = new java.util.ArrayList<>(tasks.size());
    for (int i = 0; i < ids.length; i++) {
      long id = ids[i];
      tasks.get(i).setId(id);
      results.add(() -> id);
    }
    return results;
  }

  /** One row, one statement, committed by itself. */
  private java.util.function.Supplier<Long> insertAlone(NewTask task) {
    try {
      long id = database.autoCommitted(TaskMapper.class, mapper -> {
        mapper.insert(task);
        return task.getId();
      });
      return () -> id;
    } catch (DatabaseUnavailableException e) {
      return () -> {
        throw e;
      };
    }
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
  public List<ClaimedTask> claim(int limit, List<String> queues, java.util.Collection<String> paused, String worker, Instant now) {
    return claim(limit, queues, paused, List.of(), worker, now);
  }

  /**
   * Also leaves out the tasks of classes this JVM cannot load. A claim whose commit cannot be
   * confirmed (the connection broke) may have taken rows no one would ever run: they are given
   * back, by their token, before this store claims again.
   */
  public List<ClaimedTask> claim(int limit, List<String> queues, java.util.Collection<String> paused,
      java.util.Collection<String> unloadable, String worker, Instant now) {
    releaseUncertainClaims();
    String token = ClaimTokens.next();
    try {
      return claimWith(token, limit, queues, paused, unloadable, worker, now);
    } catch (DatabaseUnavailableException e) {
      uncertainClaims.add(token);
      throw e;
    }
  }

  private List<ClaimedTask> claimWith(String token, int limit, List<String> queues, java.util.Collection<String> paused,
      java.util.Collection<String> unloadable, String worker, Instant now) {
    if (database.dialect() == Dialect.POSTGRESQL) {
      List<ClaimedTask> claimed = autoCommitted(PostgresMapper.class,
          mapper -> mapper.claimDue(now, queues, paused, unloadable, ascendingPriority, limit, token, worker));
      return claimed.stream().sorted(claimingOrder).toList();
    }
    return inTransaction(mapper -> {
      List<Long> due = mapper.findDue(now, queues, paused, unloadable, ascendingPriority, limit);
      if (due.isEmpty() || mapper.claim(due, token, worker, now) == 0) {
        return List.of();
      }
      return mapper.findClaimed(token).stream().sorted(claimingOrder).toList();
    });
  }

  private void releaseUncertainClaims() {
    for (String token : List.copyOf(uncertainClaims)) {
      inTransaction(mapper -> mapper.releaseToken(token));
      uncertainClaims.remove(token);
    }
  }

  /** The order the claim picked in; one round-trip's rows come back in no particular order. */
  private static java.util.Comparator<ClaimedTask> claimingOrder(boolean ascendingPriority) {
    java.util.Comparator<ClaimedTask> byPriority = java.util.Comparator.comparingInt(ClaimedTask::priority);
    return (ascendingPriority ? byPriority : byPriority.reversed())
        .thenComparing(ClaimedTask::dueAt).thenComparingLong(ClaimedTask::id);
  }

  /**
   * Records several successful runs, none of them repeating, in one transaction. Returns, per
   * task, whether its claim still held. When any did not, each is recorded alone instead (except on
   * PostgreSQL with no history, where the one DELETE says which held).
   */
  public List<Boolean> finishSucceeded(List<ClaimedTask> tasks, boolean keepHistory, Instant now) {
    if (!keepHistory && database.dialect() == Dialect.POSTGRESQL) {
      return droppedTogether(tasks);
    }
    if (Boolean.TRUE.equals(finishedTogether(tasks, keepHistory, now))) {
      return java.util.Collections.nCopies(tasks.size(), true);
    }
    return tasks.stream().map(task -> finish(task, Outcome.SUCCEEDED, keepHistory, now)).toList();
  }

  /**
   * With no history kept, PostgreSQL records finished runs in one auto-committed DELETE that names
   * the rows it removed: a run whose claim was lost is simply not among them.
   */
  private List<Boolean> droppedTogether(List<ClaimedTask> tasks) {
    java.util.Set<Long> dropped = new java.util.HashSet<>(
        autoCommitted(PostgresMapper.class, mapper -> mapper.deleteClaimedReturningIds(idsOf(tasks), tokensOf(tasks))));
    return tasks.stream().map(task -> dropped.contains(task.id())).toList();
  }

  private boolean finishedTogether(List<ClaimedTask> tasks, boolean keepHistory, Instant now) {
    if (database.dialect() == Dialect.POSTGRESQL) {
      Long[] ids = idsOf(tasks);
      String[] tokens = tokensOf(tasks);
      return inTransaction(PostgresMapper.class, mapper ->
          mapper.copyAllToCompleted(ids, tokens, Outcome.SUCCEEDED.name(), now) == tasks.size()
              && mapper.deleteAllClaimed(ids, tokens) == tasks.size());
    }
    return inTransaction(mapper -> finishedTogether(mapper, tasks, keepHistory, now));
  }

  /** The runs' ids and claim tokens, as the arrays {@link PostgresMapper#FINISHED_RUNS} pairs up. */
  private static Long[] idsOf(List<ClaimedTask> tasks) {
    return tasks.stream().map(ClaimedTask::id).toArray(Long[]::new);
  }

  private static String[] tokensOf(List<ClaimedTask> tasks) {
    return tasks.stream().map(ClaimedTask::claimToken).toArray(String[]::new);
  }

  private static boolean finishedTogether(TaskMapper mapper, List<ClaimedTask> tasks, boolean keepHistory, Instant now) {
    if (keepHistory && mapper.copyAllToCompleted(tasks, Outcome.SUCCEEDED.name(), now) != tasks.size()) {
      return false;
    }
    return mapper.deleteAllClaimed(tasks) == tasks.size();
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
    return inTransaction(mapper -> mapper.recordFailure(task.id(), task.claimToken(), error, now, nextDue) == 1);
  }

  /** Records the last failure and moves the task to the completed table as failed. */
  public boolean giveUp(ClaimedTask task, String error, boolean keepHistory, Instant now) {
    return giveUp(task, error, keepHistory, now, Optional.empty());
  }

  /** Like {@link #giveUp}; a repeating task's chain goes on regardless. */
  public boolean giveUp(ClaimedTask task, String error, boolean keepHistory, Instant now, Optional<Instant> nextRepetition) {
    return inTransaction(mapper -> mapper.recordLastError(task.id(), task.claimToken(), error, now) == 1
        && storeNextRepetition(mapper, task, nextRepetition, now)
        && moveToCompleted(mapper, task, Outcome.FAILED, keepHistory, now));
  }

  private static boolean storeNextRepetition(TaskMapper mapper, ClaimedTask task, Optional<Instant> nextDue, Instant now) {
    return nextDue.isEmpty() || mapper.copyAsNextRepetition(task.id(), task.claimToken(), nextDue.get(), now) == 1;
  }

  /** Hands a claim this JVM cannot run back, uncounted, with the reason as its last error. */
  public boolean releaseUnrunnable(ClaimedTask task, String reason) {
    return inTransaction(mapper -> mapper.releaseUnrunnable(task.id(), task.claimToken(), reason) == 1);
  }

  /** Hands an unrun claim back, uncounted, for another worker to take. */
  public boolean release(ClaimedTask task) {
    return inTransaction(mapper -> mapper.release(task.id(), task.claimToken()) == 1);
  }

  public Optional<Instant> nextDueAt(List<String> queues) {
    return Optional.ofNullable(inTransaction(mapper -> mapper.nextDueAt(queues)));
  }

  public int purgeCompletedBefore(Instant before) {
    return inTransaction(mapper -> mapper.purgeCompletedBefore(before));
  }

  private static boolean moveToCompleted(TaskMapper mapper, ClaimedTask task, Outcome outcome, boolean keepHistory, Instant now) {
    if (keepHistory && mapper.copyToCompleted(task.id(), task.claimToken(), outcome.name(), now) != 1) {
      return false;
    }
    return mapper.deleteClaimed(task.id(), task.claimToken()) == 1;
  }

  /** One transaction of ours, or, on a thread inside {@code BackgroundTasks.inTransaction}, a part of the caller's. */
  private <T> T inTransaction(Function<TaskMapper, T> work) {
    return inTransaction(TaskMapper.class, work);
  }

  /**
   * One statement that is a transaction by itself: one round-trip on PostgreSQL, where BEGIN and
   * COMMIT around it take a second. On a thread inside {@code BackgroundTasks.inTransaction}, a
   * part of the caller's transaction like every other write.
   */
  private <M, T> T autoCommitted(Class<M> mapperType, Function<M, T> statement) {
    java.util.Optional<java.sql.Connection> callers = CallerTransaction.current();
    if (callers.isPresent()) {
      return database.onCallerConnection(callers.get(), mapperType, statement);
    }
    return database.autoCommitted(mapperType, statement);
  }

  private <M, T> T inTransaction(Class<M> mapperType, Function<M, T> work) {
    java.util.Optional<java.sql.Connection> callers = CallerTransaction.current();
    if (callers.isPresent()) {
      return database.onCallerConnection(callers.get(), mapperType, work);
    }
    return database.inTransaction(mapperType, work);
  }

}
