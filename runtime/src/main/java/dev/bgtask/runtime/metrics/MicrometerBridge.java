package dev.bgtask.runtime.metrics;

import dev.bgtask.runtime.AgentThreads;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the agent's meters into the application's own Micrometer, with no code on its side: when a
 * class loader loads {@code io.micrometer.core.instrument.Metrics} (the agent's transformer tells),
 * a small helper compiled against Micrometer is defined in a child of that loader and registers
 * function counters, gauges and function timers on the global registry. They read the agent's
 * figures through JDK functional interfaces, so no class crosses between the two sides. The
 * OpenTelemetry agent bridges Micrometer the same way.
 */
public final class MicrometerBridge {

  public static final String METRICS_CLASS = "io/micrometer/core/instrument/Metrics";
  private static final String HELPER = "dev.bgtask.runtime.metrics.micrometer.MicrometerMeters";
  private static final Logger log = LoggerFactory.getLogger(MicrometerBridge.class);

  private final Set<ClassLoader> loaders = ConcurrentHashMap.newKeySet();
  private volatile Sources sources;

  private record Sources(TaskMetrics metrics, WaitingTasks waiting) {}

  /** The transformer saw {@code loader} define Micrometer's {@code Metrics}; its meters follow once the agent's metrics exist. */
  public void micrometerLoadedBy(ClassLoader loader) {
    if (loader != null && loaders.add(loader) && sources != null) {
      registerLater(loader);
    }
  }

  /** From now on, meters go to every Micrometer seen, and to those seen later. */
  public void attach(TaskMetrics metrics, WaitingTasks waiting) {
    sources = new Sources(metrics, waiting);
    loaders.forEach(this::registerLater);
  }

  /** On a thread of its own: the loader may still be defining {@code Metrics} on the thread that told us. */
  private void registerLater(ClassLoader loader) {
    AgentThreads.newThread(() -> register(loader), "bgtask-micrometer").start();
  }

  private void register(ClassLoader applicationLoader) {
    Sources from = sources;
    try {
      Method register = helperIn(applicationLoader).getMethod("register", List.class);
      register.invoke(null, workerMeters(from));
      from.metrics().onEveryQueue(queue -> {
        try {
          register.invoke(null, queueMeters(queue, from.metrics().queue(queue)));
        } catch (ReflectiveOperationException e) {
          log.warn("cannot register the meters of queue '{}' with the application's Micrometer: {}", queue, rootMessage(e));
        }
      });
      log.debug("meters registered with the application's Micrometer ({})", applicationLoader);
    } catch (ReflectiveOperationException | IOException | LinkageError | RuntimeException e) {
      log.warn("cannot register the agent's meters with the application's Micrometer: {}", rootMessage(e));
    }
  }

  private static Class<?> helperIn(ClassLoader applicationLoader) throws IOException, ClassNotFoundException {
    byte[] bytes;
    try (InputStream in = MicrometerBridge.class.getClassLoader().getResourceAsStream(HELPER.replace('.', '/') + ".class")) {
      if (in == null) {
        throw new IOException("the agent jar lacks " + HELPER);
      }
      bytes = in.readAllBytes();
    }
    return Class.forName(HELPER, true, new HelperLoader(applicationLoader, bytes));
  }

  /** Defines the helper alone; everything else, Micrometer first, comes from the application's loader. */
  private static final class HelperLoader extends ClassLoader {
    private final byte[] helper;

    HelperLoader(ClassLoader application, byte[] helper) {
      super("bgtask-micrometer", application);
      this.helper = helper;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.equals(HELPER)) {
        synchronized (getClassLoadingLock(name)) {
          Class<?> loaded = findLoadedClass(name);
          return loaded != null ? loaded : defineClass(name, helper, 0, helper.length);
        }
      }
      return super.loadClass(name, resolve);
    }
  }

  private static List<Map<String, Object>> workerMeters(Sources from) {
    TaskMetrics metrics = from.metrics();
    WaitingTasks waiting = from.waiting();
    List<Map<String, Object>> meters = new ArrayList<>();
    meters.add(meter("gauge", "bgtask.worker.threads", "This JVM's worker threads, busy or idle.", null,
        Map.of("state", "busy"), (DoubleSupplier) metrics::busyThreads));
    meters.add(meter("gauge", "bgtask.worker.threads", "This JVM's worker threads, busy or idle.", null,
        Map.of("state", "idle"), (DoubleSupplier) metrics::idleThreads));
    meters.add(meter("gauge", "bgtask.tasks.waiting", "Tasks due and waiting, across all JVMs.", null, Map.of(),
        (DoubleSupplier) () -> waiting.get().waiting()));
    meters.add(meter("gauge", "bgtask.tasks.oldest.waiting.age", "How long the oldest task due has waited, across all JVMs.",
        "seconds", Map.of(), (DoubleSupplier) () -> waiting.get().oldestWaitingSeconds()));
    meters.add(meter("counter", "bgtask.workers.reaped", "Worker JVMs this JVM found silent and took for dead.", null, Map.of(),
        (DoubleSupplier) metrics::reapedWorkers));
    meters.add(timer("bgtask.claim.duration", "How long this JVM's claims of due tasks took, each one transaction.", Map.of(),
        metrics.claimTime()));
    return meters;
  }

  private static List<Map<String, Object>> queueMeters(String queue, QueueMetrics metrics) {
    Map<String, String> tags = Map.of("queue", TaskMetrics.label(queue));
    List<Map<String, Object>> meters = new ArrayList<>();
    meters.add(meter("counter", "bgtask.tasks.enqueued", "Tasks stored by calls in this JVM.", null, tags, (DoubleSupplier) metrics::enqueued));
    meters.add(meter("counter", "bgtask.tasks.started", "Attempts started by this JVM's workers.", null, tags, (DoubleSupplier) metrics::started));
    meters.add(meter("counter", "bgtask.tasks.succeeded", "Attempts that succeeded.", null, tags, (DoubleSupplier) metrics::succeeded));
    meters.add(meter("counter", "bgtask.tasks.failed", "Attempts that failed.", null, tags, (DoubleSupplier) metrics::failed));
    meters.add(meter("counter", "bgtask.tasks.given.up", "Tasks that failed their last attempt.", null, tags, (DoubleSupplier) metrics::gaveUp));
    meters.add(timer("bgtask.task.run.duration", "How long attempts ran.", tags, metrics.runTime()));
    meters.add(timer("bgtask.task.queue.wait", "From a task's due time to the start of its attempt.", tags, metrics.queueWait()));
    return meters;
  }

  private static Map<String, Object> meter(String type, String name, String description, String unit, Map<String, String> tags,
      DoubleSupplier value) {
    Map<String, Object> meter = new LinkedHashMap<>();
    meter.put("type", type);
    meter.put("name", name);
    meter.put("description", description);
    meter.put("unit", unit);
    meter.put("tags", tags);
    meter.put("value", value);
    return meter;
  }

  private static Map<String, Object> timer(String name, String description, Map<String, String> tags, Histogram histogram) {
    Map<String, Object> meter = meter("timer", name, description, null, tags, null);
    meter.put("count", (LongSupplier) histogram::count);
    meter.put("totalSeconds", (DoubleSupplier) histogram::sum);
    return meter;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.toString();
  }
}
