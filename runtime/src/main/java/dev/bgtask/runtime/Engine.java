package dev.bgtask.runtime;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the runtime together for one JVM: database, codec, enqueue path and workers. */
public final class Engine implements TaskBridge.Sink {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  private final Database database;
  private final TaskEnqueuer enqueuer;
  private final Optional<WorkerPool> workers;

  private Engine(Database database, TaskEnqueuer enqueuer, Optional<WorkerPool> workers) {
    this.database = database;
    this.enqueuer = enqueuer;
    this.workers = workers;
  }

  /** Connects, creates or migrates the schema and starts the workers; throws with a one-line reason when it cannot. */
  public static Engine start(Settings settings, ClassLoaders classLoaders) {
    AgentLogging.setLevel(settings.logLevel());
    Database database = Database.connect(settings);
    int schemaVersion;
    try {
      schemaVersion = new SchemaMigrator(database, settings.tablePrefix()).migrate();
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
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
    Engine engine = new Engine(database, new TaskEnqueuer(methods, codec, store, settings.maxAttempts(), clock, wake), workers);
    TaskBridge.install(engine);
    workers.ifPresent(WorkerPool::start);
    Runtime.getRuntime().addShutdownHook(new Thread(engine::stop, "bgtask-shutdown"));
    log.info("background-task {} on {} (schema v{}); {}", version(), database.url(), schemaVersion,
        workers.map(pool -> pool.threads() + " worker thread(s), "
            + (settings.queues().isEmpty() ? "all queues" : "queues " + String.join("|", settings.queues())))
            .orElse("enqueue only (workers=0)"));
    return engine;
  }

  @Override
  public void enqueue(Class<?> declaringType, String signature, Object receiver, Object[] arguments) {
    enqueuer.enqueue(declaringType, signature, arguments);
  }

  void stop() {
    workers.ifPresent(pool -> pool.stop(SHUTDOWN_GRACE));
    database.close();
  }

  private static String version() {
    String version = Engine.class.getPackage().getImplementationVersion();
    return version == null ? "" : version;
  }
}
