package dev.bgtask.agent.install;

import dev.bgtask.runtime.Engine;
import dev.bgtask.runtime.StartupFailure;
import dev.bgtask.runtime.config.Settings;
import dev.bgtask.runtime.metrics.MicrometerBridge;
import dev.bgtask.runtime.task.BackgroundAttributes;
import dev.bgtask.runtime.task.ClassLoaders;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs inside the agent's class loader: reads the configuration, installs the rewriting, starts the engine. */
public final class AgentInstaller {

  private static final String WORKER_COMMAND = "dev.bgtask.agent.ProcessTasks";

  private AgentInstaller() {}

  public static void install(Instrumentation instrumentation, Map<String, String> arguments, boolean lateAttach) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    // MyBatis, Hikari and Logback look up classes through the context loader; it must be ours.
    thread.setContextClassLoader(AgentInstaller.class.getClassLoader());
    try {
      Settings settings = Settings.load(arguments);
      ClassLoaders classLoaders = new ClassLoaders();
      MicrometerBridge micrometer = new MicrometerBridge();
      // Rewriting is in place before any worker can load an application class.
      RewritingTransformer transformer = new RewritingTransformer(classLoaders, micrometer::micrometerLoadedBy);
      instrumentation.addTransformer(transformer, false);
      // Taken now, not when the report runs in the background: every class loaded from here on
      // passes through the transformer, and the application's main goes on loading them meanwhile.
      Class<?>[] loadedBefore = lateAttach ? instrumentation.getAllLoadedClasses() : new Class<?>[0];
      boolean workerCommand = System.getProperty("sun.java.command", "").startsWith(WORKER_COMMAND);
      noticeMicrometerLoadedBefore(loadedBefore, micrometer);
      Engine.start(settings, classLoaders, () -> {
        transformer.warmUp();
        reportClassesLoadedTooEarly(loadedBefore);
      }, workerCommand, micrometer);
    } catch (RuntimeException | LinkageError e) {
      StartupFailure.stopJvm(e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** An agent attached late may find the application's Micrometer loaded already. */
  private static void noticeMicrometerLoadedBefore(Class<?>[] loadedBefore, MicrometerBridge micrometer) {
    for (Class<?> loaded : loadedBefore) {
      if (loaded.getName().equals(MicrometerBridge.METRICS_CLASS.replace('/', '.'))) {
        micrometer.micrometerLoadedBy(loaded.getClassLoader());
      }
    }
  }

  /** Classes loaded before the agent cannot be rebased; their calls would run synchronously. Say so, by name. */
  private static void reportClassesLoadedTooEarly(Class<?>[] loadedBefore) {
    Logger log = LoggerFactory.getLogger(AgentInstaller.class);
    for (Class<?> loaded : loadedBefore) {
      if (loaded.getClassLoader() == null || loaded.getClassLoader() == AgentInstaller.class.getClassLoader()) {
        continue;
      }
      try {
        for (Method method : loaded.getDeclaredMethods()) {
          if (BackgroundAttributes.of(method).isPresent()) {
            log.warn("{} was loaded before the agent started, so its @Background methods run synchronously;"
                + " start the agent with -javaagent instead", loaded.getName());
            break;
          }
        }
      } catch (LinkageError ignored) {
        // a class whose methods cannot be resolved has none we could rewrite either
      }
    }
  }
}
