package dev.bgtask.runtime;

import dev.bgtask.BackgroundCall;
import dev.bgtask.EnqueueException;
import dev.bgtask.InstanceResolver;
import dev.bgtask.TaskListener;
import dev.bgtask.TaskFailedException;
import dev.bgtask.TaskOptions;
import dev.bgtask.TransactionBinding;
import dev.bgtask.runtime.event.Listeners;
import dev.bgtask.internal.TaskBridge;
import dev.bgtask.runtime.codec.ArgumentCodec;
import dev.bgtask.runtime.dashboard.DashboardServer;
import dev.bgtask.runtime.health.HealthCheck;
import dev.bgtask.runtime.metrics.JmxExport;
import dev.bgtask.runtime.metrics.MicrometerBridge;
import dev.bgtask.runtime.metrics.TaskMetrics;
import dev.bgtask.runtime.metrics.WaitingTasks;
import dev.bgtask.runtime.store.QueuePauses;
import dev.bgtask.runtime.store.TaskBrowser;
import dev.bgtask.runtime.store.TaskStatsStore;
import dev.bgtask.runtime.config.Secrets;
import dev.bgtask.runtime.config.Settings;
import dev.bgtask.runtime.enqueue.CallCapture;
import dev.bgtask.runtime.store.CallerTransaction;
import dev.bgtask.runtime.store.Dialect;
import dev.bgtask.runtime.worker.PostgresNotifyListener;
import dev.bgtask.runtime.enqueue.CapturedCall;
import dev.bgtask.runtime.enqueue.DirectExecution;
import dev.bgtask.runtime.enqueue.TaskEnqueuer;
import dev.bgtask.runtime.task.TaskMethod;
import dev.bgtask.runtime.logging.AgentLogging;
import dev.bgtask.runtime.schedule.BackoffPolicy;
import dev.bgtask.runtime.schedule.Recurrence;
import dev.bgtask.runtime.schedule.RecurringScheduler;
import dev.bgtask.runtime.store.Database;
import dev.bgtask.runtime.store.DatabaseClock;
import dev.bgtask.runtime.store.RecurringSchedule;
import dev.bgtask.runtime.store.RecurringScheduleStore;
import dev.bgtask.runtime.store.WorkerRegistry;
import dev.bgtask.runtime.store.SchemaMigrator;
import dev.bgtask.runtime.store.TaskStore;
import dev.bgtask.runtime.task.ClassLoaders;
import dev.bgtask.runtime.task.TaskMethods;
import dev.bgtask.runtime.worker.Receivers;
import dev.bgtask.runtime.worker.TaskRunner;
import dev.bgtask.runtime.worker.WorkerIdentity;
import dev.bgtask.runtime.worker.WorkerPool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the runtime together for one JVM: database, codec, enqueue path and workers.
 *
 * <p>Start-up is split so the application's own start is not held up: what can stop the JVM with a
 * clear line (the configuration, reaching the database) happens before {@code main}; the rest
 * (schema, MyBatis, Jackson, workers, warming the rewriter) finishes on a background thread while
 * the application starts. A call that comes before that waits for it.
 */
public final class Engine implements TaskBridge.Sink {

  private final Settings settings;
  private final ClassLoaders classLoaders;
  private final Database database;
  private final CompletableFuture<Running> running = new CompletableFuture<>();
  private final Object lifecycle = new Object();
  private boolean stopping;

  /** The parts that exist once start-up has finished; no enqueuer in inline mode. */
  private record Running(TaskMethods methods, ArgumentCodec codec, Optional<TaskStore> store, Optional<TaskEnqueuer> enqueuer,
      Optional<WorkerPoolFactory> pools, Optional<RecurringScheduleStore> schedules, Clock clock) {}

  /** Builds this JVM's worker pool: from the settings at start, or from the worker command's options. */
  @FunctionalInterface
  public interface WorkerPoolFactory {
    WorkerPool create(int threads, java.util.List<String> queues, Duration sleep);
  }

  private volatile Optional<WorkerPool> workers = Optional.empty();
  private volatile boolean workersFromCommand;
  private volatile Optional<PostgresNotifyListener> notifications = Optional.empty();

  private final Receivers receivers = new Receivers();
  private final Listeners listeners = new Listeners();
  private final TaskMetrics metrics = new TaskMetrics();
  private final MicrometerBridge micrometer;
  private volatile Optional<DashboardServer> dashboard = Optional.empty();
  private volatile Optional<HealthCheck> health = Optional.empty();
  private volatile TransactionBinding transactions;
  /** Whether the workers wait for the application to start them (a framework integration does, when it is ready). */
  private boolean workersHeld;
  /** What the application last said of its workers (started or stopped them); null while it has said nothing. */
  private Boolean heldByApplication;

  private Engine(Settings settings, ClassLoaders classLoaders, Database database, MicrometerBridge micrometer) {
    this.micrometer = micrometer;
    this.settings = settings;
    this.classLoaders = classLoaders;
    this.database = database;
  }

  /**
   * Connects (throwing with a one-line reason when it cannot), installs itself as the target of
   * every rewritten call, and finishes starting in the background. {@code warmUp} runs there too.
   * {@code workersLeftToCommand}: the JVM runs the worker command, which starts the workers with
   * its own options. {@code micrometer}: where the application's Micrometer, once loaded, gets
   * this JVM's meters.
   */
  public static Engine start(Settings settings, ClassLoaders classLoaders, Runnable warmUp, boolean workersLeftToCommand,
      MicrometerBridge micrometer) {
    AgentLogging.setLevel(settings.logLevel());
    if (settings.inline()) {
      return startInline(settings, classLoaders, warmUp);
    }
    Database database = Database.connect(settings);
    Engine engine = new Engine(settings, classLoaders, database, micrometer);
    engine.workersFromCommand = workersLeftToCommand;
    TaskBridge.install(engine);
    Runtime.getRuntime().addShutdownHook(new Thread(engine::stop, "bgtask-shutdown"));
    Thread starter = AgentThreads.newThread(() -> engine.finishStart(warmUp), "bgtask-start");
    starter.setDaemon(true);
    starter.start();
    return engine;
  }

  /** {@code mode=inline}: no database and no workers; every call runs in its caller after a JSON round-trip. */
  private static Engine startInline(Settings settings, ClassLoaders classLoaders, Runnable warmUp) {
    Engine engine = new Engine(settings, classLoaders, null, new MicrometerBridge());
    ArgumentCodec codec = new ArgumentCodec();
    engine.running.complete(new Running(new TaskMethods(codec, classLoaders), codec, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Clock.systemUTC()));
    TaskBridge.install(engine);
    Thread starter = AgentThreads.newThread(() -> {
      log().info("background-task {} in inline mode: every @Background call runs at once in its caller", version());
      warmUp.run();
    }, "bgtask-start");
    starter.setDaemon(true);
    starter.start();
    return engine;
  }

  private void finishStart(Runnable warmUp) {
    Thread.currentThread().setContextClassLoader(Engine.class.getClassLoader());
    try {
      int schemaVersion;
      Running parts;
      synchronized (lifecycle) {
        if (stopping) {
          running.completeExceptionally(new IllegalStateException("the JVM is shutting down"));
          return;
        }
        // Under the lock: a JVM that exits now waits for the schema instead of leaving half of it.
        schemaVersion = database.openExclusively(() -> new SchemaMigrator(database, settings.tablePrefix()).migrate());
      }
      parts = assemble();
      synchronized (lifecycle) {
        if (stopping) {
          running.completeExceptionally(new IllegalStateException("the JVM is shutting down"));
          return;
        }
        // An application that was ready before this start finished has started its workers already; the
        // worker command runs no application, so nothing would start them.
        workersHeld = !workersFromCommand && (heldByApplication != null ? heldByApplication : FrameworkIntegration.startsWorkers());
        if (settings.workers() > 0 && !workersFromCommand) {
          startWorkers(parts, settings.workers(), settings.queues(), settings.sleep());
        }
      }
      running.complete(parts);
      log().info("background-task {} on {} (schema v{}); {}", version(), database.url(), schemaVersion, describeWorkers());
      startOperations(parts);
      database.prepareStatements();
      warmUp.run();
    } catch (RuntimeException | LinkageError e) {
      running.completeExceptionally(e);
      if (!StartupFailure.jvmIsExiting()) {
        StartupFailure.stopJvm(e);
      }
    }
  }

  /** What operations people see: JMX, the application's Micrometer, the dashboard and the metrics port. */
  private void startOperations(Running parts) {
    WaitingTasks waiting = new WaitingTasks(new TaskBrowser(database), parts.clock());
    if (settings.jmx()) {
      JmxExport.register(metrics, waiting);
    }
    micrometer.attach(metrics, waiting);
    HealthCheck check = new HealthCheck(new TaskBrowser(database), parts.clock(), settings.workerTimeout(),
        () -> workers.map(WorkerPool::status));
    health = Optional.of(check);
    if (settings.dashboardPort().isPresent() || settings.metricsPort().isPresent()) {
      try {
        dashboard = Optional.of(DashboardServer.start(settings, new DashboardServer.Sources(database, parts.clock(), metrics, waiting, check)));
      } catch (java.io.IOException e) {
        log().error("{}; the application runs on without it", e.getMessage());
      }
    }
  }

  private Running assemble() {
    Clock clock = DatabaseClock.read(database).keepReading();
    TaskStore store = new TaskStore(database, settings.ascendingPriority());
    ArgumentCodec codec = new ArgumentCodec();
    TaskMethods methods = new TaskMethods(codec, classLoaders);
    RecurringScheduleStore schedules = new RecurringScheduleStore(database);
    WorkerPoolFactory pools = (threads, queues, sleep) -> new WorkerPool(store,
        new TaskRunner(methods, codec, store, receivers, new BackoffPolicy(), settings.history().isPresent(), clock, listeners,
            settings.maxRunTime(), metrics),
        new RecurringScheduler(schedules), new WorkerRegistry(database), WorkerIdentity.ofThisJvm(), threads, queues, sleep,
        settings.history(), settings.heartbeat(), settings.workerTimeout(), clock, classLoaders::unloadable, metrics,
        Optional.of(new QueuePauses(database)), Optional.of(new TaskStatsStore(database)));
    Runnable wake = () -> workers.ifPresent(WorkerPool::wake);
    return new Running(methods, codec, Optional.of(store), Optional.of(new TaskEnqueuer(methods, codec, store, settings.maxAttempts(), clock, wake, listeners,
        (queue, due) -> workers.flatMap(pool -> pool.holdThreadFor(queue, due)), metrics)),
        Optional.of(pools), Optional.of(schedules), clock);
  }

  private void startWorkers(Running parts, int threads, java.util.List<String> queues, Duration sleep) {
    WorkerPool pool = parts.pools().orElseThrow(() -> new IllegalStateException("no workers in inline mode"))
        .create(threads, queues, sleep);
    if (settings.paused()) {
      pool.pause(true);
    }
    if (workersHeld) {
      pool.hold(true, Duration.ZERO);
    }
    workers = Optional.of(pool);
    pool.start();
    if (database.dialect() == Dialect.POSTGRESQL) {
      listenForNewTasks(pool, sleep);
    }
  }

  /**
   * Through a transaction-mode pooler a LISTEN would hear nothing: its server connection is handed
   * to other clients between transactions. The listener then needs {@code listenUrl}, or the
   * workers poll; either way the start says which.
   */
  private void listenForNewTasks(WorkerPool pool, Duration sleep) {
    if (settings.transactionPooler() && settings.listenUrl().isEmpty()) {
      log().warn("pooler=transaction and no listenUrl: idle workers look for new tasks every {} ms"
          + " (set listenUrl to a direct PostgreSQL URL to wake them at once)", sleep.toMillis());
      return;
    }
    if (settings.transactionPooler()) {
      log().warn("pooler=transaction: workers hear of new tasks on listenUrl {}, around the pooler",
          Secrets.masked(settings.listenUrl()));
    }
    notifications = Optional.of(PostgresNotifyListener.start(database::openListeningConnection,
        Dialect.notifyChannel(settings.tablePrefix()), pool::wake));
  }

  /** Starts this JVM's workers for the worker command, once start-up has finished. */
  public void startWorkersForCommand(int threads, java.util.List<String> queues, Duration sleep) {
    Running parts = parts();
    synchronized (lifecycle) {
      if (stopping) {
        return;
      }
      startWorkers(parts, threads, queues, sleep);
    }
    log().info("worker command: {} thread(s), {}, polling every {} ms", threads,
        queues.isEmpty() ? "all queues" : "queues " + String.join("|", queues), sleep.toMillis());
  }

  @Override
  public void enqueue(Class<?> declaringType, String signature, Object receiver, Object[] arguments) {
    CapturedCall call = new CapturedCall(declaringType, signature, receiver, arguments);
    if (!CallCapture.offer(call)) {
      store(call, null);
    }
  }

  @Override
  public long call(TaskOptions options, BackgroundCall lambda) {
    return store(CallCapture.single(lambda, "BackgroundTasks.options().call(...)"), options);
  }

  @Override
  public void now(BackgroundCall lambda) {
    CapturedCall call = CallCapture.single(lambda, "BackgroundTasks.now(...)");
    DirectExecution.run(parts().methods().forCall(call.declaringType(), call.signature()), call.receiver(), call.arguments());
  }

  @Override
  public void inTransaction(Object connection, BackgroundCall lambda) {
    if (!(connection instanceof java.sql.Connection jdbc)) {
      throw new IllegalArgumentException("BackgroundTasks.inTransaction needs a java.sql.Connection, got " + connection);
    }
    try {
      CallerTransaction.run(jdbc, lambda::run);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new TaskFailedException("BackgroundTasks.inTransaction(...): the lambda threw " + e, e);
    }
  }

  @Override
  public void useInstanceResolver(InstanceResolver resolver) {
    receivers.use(java.util.Objects.requireNonNull(resolver, "resolver"));
  }

  @Override
  public void addListener(TaskListener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void recurring(String name, String cron, Duration period, BackgroundCall lambda) {
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new IllegalArgumentException("a recurring schedule needs a name of 1 to 200 characters, got '" + name + "'");
    }
    Recurrence recurrence = cron != null ? Recurrence.cron(cron) : Recurrence.every(period);
    CapturedCall call = CallCapture.single(lambda, "BackgroundTasks.recurring(\"" + name + "\", ...)");
    Running parts = parts();
    if (parts.enqueuer().isEmpty()) {
      log().info("inline mode: recurring schedule '{}' is not stored", name);
      return;
    }
    Instant now = parts.clock().instant();
    parts.schedules().orElseThrow().register(new RecurringSchedule(name, parts.enqueuer().get().describe(call), cron,
        period == null ? null : period.toMillis(), recurrence.nextAfter(now), now));
    workers.ifPresent(WorkerPool::wake);
  }

  @Override
  public void pause(boolean paused, String... queues) {
    parts();
    workers.ifPresent(pool -> pool.pause(paused, queues));
  }

  @Override
  public void useTransactionBinding(TransactionBinding binding) {
    transactions = java.util.Objects.requireNonNull(binding, "binding");
  }

  @Override
  public void holdWorkers(boolean hold) {
    Optional<WorkerPool> pool;
    synchronized (lifecycle) {
      workersHeld = hold;
      heldByApplication = hold;
      pool = workers;
    }
    pool.ifPresent(workerPool -> workerPool.hold(hold, settings.shutdownGrace()));
    if (!hold) {
      log().debug("the application started this JVM's workers");
    }
  }

  @Override
  public java.util.Map<String, Object> health() {
    parts();
    return health.map(check -> check.check().asMap())
        .orElseGet(() -> java.util.Map.of("status", "UP", "checks", java.util.Map.of("mode", java.util.Map.of("status", "UP", "inline", true))));
  }

  @Override
  public int runWorkerCommand(String[] arguments) {
    return dev.bgtask.runtime.cli.ProcessTasksCommand.run(this, settings, arguments);
  }

  /** Stores the call, or in inline mode runs it after the same JSON round-trip a worker's copy would take. */
  private long store(CapturedCall call, TaskOptions options) {
    Running parts = parts();
    if (parts.enqueuer().isPresent()) {
      TransactionBinding binding = transactions;
      TransactionBinding.Transaction transaction = binding == null || CallerTransaction.isBound() ? null : binding.current();
      return transaction == null ? parts.enqueuer().get().enqueue(call, options) : storeWith(transaction, parts.enqueuer().get(), call, options);
    }
    TaskMethod method = parts.methods().forCall(call.declaringType(), call.signature());
    Object[] rebuilt = parts.codec().decode(method, parts.codec().encode(method, call.arguments()));
    DirectExecution.run(method, call.receiver(), rebuilt);
    return 0;
  }

  /**
   * A call made inside one of the application's transactions: stored through that transaction's
   * connection when it reaches the task database (its commit stores the task, a rollback leaves
   * nothing; workers are woken after the commit), else stored once it has committed. A call that
   * waits for the commit has no id yet: {@code call()} then returns 0.
   */
  private long storeWith(TransactionBinding.Transaction transaction, TaskEnqueuer enqueuer, CapturedCall call, TaskOptions options) {
    Object connection = transaction.connection();
    if (connection instanceof java.sql.Connection jdbc && database.reaches(jdbc)) {
      long[] id = new long[1];
      CallerTransaction.run(jdbc, () -> id[0] = enqueuer.enqueue(call, options));
      transaction.afterCommit(() -> workers.ifPresent(WorkerPool::wake));
      return id[0];
    }
    TaskEnqueuer.PreparedCall prepared = enqueuer.prepare(call, options);
    transaction.afterCommit(() -> {
      try {
        enqueuer.store(prepared);
      } catch (RuntimeException e) {
        log().error("a task of {} made in a transaction that has committed could not be stored: {}",
            prepared.method().displayName(), e.getMessage());
      }
    });
    return 0;
  }

  private Running parts() {
    try {
      return running.join();
    } catch (CompletionException e) {
      throw new EnqueueException("background-task could not start: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private void stop() {
    synchronized (lifecycle) {
      stopping = true;
    }
    notifications.ifPresent(PostgresNotifyListener::stop);
    dashboard.ifPresent(DashboardServer::close);
    if (running.isDone() && !running.isCompletedExceptionally()) {
      workers.ifPresent(pool -> pool.stop(settings.shutdownGrace()));
      running.join().store().ifPresent(TaskStore::sendPendingNotice);
    }
    if (database != null) {
      database.closeAtExit();
    }
  }

  private String describeWorkers() {
    if (workersFromCommand) {
      return "workers started by the worker command";
    }
    if (settings.workers() == 0) {
      return "enqueue only (workers=0)";
    }
    if (workersHeld) {
      return settings.workers() + " worker thread(s), started once the application is ready";
    }
    return settings.workers() + " worker thread(s), "
        + (settings.queues().isEmpty() ? "all queues" : "queues " + String.join("|", settings.queues()));
  }

  private static Logger log() {
    return LoggerFactory.getLogger(Engine.class);
  }

  private static String version() {
    String version = Engine.class.getPackage().getImplementationVersion();
    return version == null ? "" : version;
  }
}
