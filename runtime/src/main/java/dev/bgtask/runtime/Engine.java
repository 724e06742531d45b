package dev.bgtask.runtime;

import dev.bgtask.EnqueueException;
import dev.bgtask.internal.TaskBridge;
import dev.bgtask.runtime.codec.ArgumentCodec;
import dev.bgtask.runtime.config.Settings;
import dev.bgtask.runtime.enqueue.TaskEnqueuer;
import dev.bgtask.runtime.logging.AgentLogging;
import dev.bgtask.runtime.schedule.BackoffPolicy;
import dev.bgtask.runtime.store.Database;
import dev.bgtask.runtime.store.SchemaMigrator;
import dev.bgtask.runtime.store.TaskStore;
import dev.bgtask.runtime.task.ClassLoaders;
import dev.bgtask.runtime.task.TaskMethods;
import dev.bgtask.runtime.worker.InstanceResolver;
import dev.bgtask.runtime.worker.TaskRunner;
import dev.bgtask.runtime.worker.WorkerIdentity;
import dev.bgtask.runtime.worker.WorkerPool;
import java.time.Clock;
import java.time.Duration;
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

  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  private final Settings settings;
  private final ClassLoaders classLoaders;
  private final Database database;
  private final CompletableFuture<Running> running = new CompletableFuture<>();
  private final Object lifecycle = new Object();
  private boolean stopping;

  /** The parts that exist once start-up has finished. */
  private record Running(TaskEnqueuer enqueuer, Optional<WorkerPool> workers) {}

  private Engine(Settings settings, ClassLoaders classLoaders, Database database) {
    this.settings = settings;
    this.classLoaders = classLoaders;
    this.database = database;
  }

  /**
   * Connects (throwing with a one-line reason when it cannot), installs itself as the target of
   * every rewritten call, and finishes starting in the background. {@code warmUp} runs there too.
   */
  public static Engine start(Settings settings, ClassLoaders classLoaders, Runnable warmUp) {
    AgentLogging.setLevel(settings.logLevel());
    Database database = Database.connect(settings);
    Engine engine = new Engine(settings, classLoaders, database);
    TaskBridge.install(engine);
    Runtime.getRuntime().addShutdownHook(new Thread(engine::stop, "bgtask-shutdown"));
    Thread starter = new Thread(() -> engine.finishStart(warmUp), "bgtask-start");
    starter.setDaemon(true);
    starter.start();
    return engine;
  }

  private void finishStart(Runnable warmUp) {
    Thread.currentThread().setContextClassLoader(Engine.class.getClassLoader());
    try {
      database.open();
      int schemaVersion;
      Running parts;
      synchronized (lifecycle) {
        if (stopping) {
          running.completeExceptionally(new IllegalStateException("the JVM is shutting down"));
          return;
        }
        // Under the lock: a JVM that exits now waits for the schema instead of leaving half of it.
        schemaVersion = new SchemaMigrator(database, settings.tablePrefix()).migrate();
      }
      parts = assemble();
      synchronized (lifecycle) {
        if (stopping) {
          running.completeExceptionally(new IllegalStateException("the JVM is shutting down"));
          return;
        }
        parts.workers().ifPresent(WorkerPool::start);
      }
      running.complete(parts);
      log().info("background-task {} on {} (schema v{}); {}", version(), database.url(), schemaVersion, describeWorkers());
      warmUp.run();
    } catch (RuntimeException | LinkageError e) {
      running.completeExceptionally(e);
      if (!StartupFailure.jvmIsExiting()) {
        StartupFailure.stopJvm(e);
      }
    }
  }

  private Running assemble() {
    Clock clock = Clock.systemUTC();
    TaskStore store = new TaskStore(database);
    ArgumentCodec codec = new ArgumentCodec();
    TaskMethods methods = new TaskMethods(codec, classLoaders);
    Optional<WorkerPool> workers = Optional.empty();
    if (settings.workers() > 0) {
      TaskRunner runner = new TaskRunner(methods, codec, store, InstanceResolver.NO_ARG_CONSTRUCTOR, new BackoffPolicy(),
          settings.history().isPresent(), clock);
      workers = Optional.of(new WorkerPool(store, runner, WorkerIdentity.ofThisJvm(), settings.workers(), settings.queues(),
          settings.sleep(), settings.history(), clock));
    }
    Runnable wake = workers.<Runnable>map(pool -> pool::wake).orElse(() -> { });
    return new Running(new TaskEnqueuer(methods, codec, store, settings.maxAttempts(), clock, wake), workers);
  }

  @Override
  public void enqueue(Class<?> declaringType, String signature, Object receiver, Object[] arguments) {
    Running parts;
    try {
      parts = running.join();
    } catch (CompletionException e) {
      throw new EnqueueException("background-task could not start: " + e.getCause().getMessage(), e.getCause());
    }
    parts.enqueuer().enqueue(declaringType, signature, arguments);
  }

  private void stop() {
    synchronized (lifecycle) {
      stopping = true;
    }
    if (running.isDone() && !running.isCompletedExceptionally()) {
      running.join().workers().ifPresent(pool -> pool.stop(SHUTDOWN_GRACE));
    }
    database.close();
  }

  private String describeWorkers() {
    if (settings.workers() == 0) {
      return "enqueue only (workers=0)";
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
