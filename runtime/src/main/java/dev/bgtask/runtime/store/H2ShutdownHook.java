package dev.bgtask.runtime.store;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * H2 closes its databases from a shutdown hook of its own, which runs at the same time as the
 * agent's; the agent's hook still has outcomes to record and claims to give back. H2 refuses
 * {@code DB_CLOSE_ON_EXIT=FALSE} together with {@code AUTO_SERVER}, so the agent removes H2's hook
 * and runs it itself, last. This reaches into the H2 version the agent carries, never the
 * application's.
 */
final class H2ShutdownHook {

  private H2ShutdownHook() {}

  static void leaveClosingToTheAgent() {
    hook().ifPresent(hook -> {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (RuntimeException e) {
        // the JVM is exiting already: the hook runs, as it would without the agent
      }
    });
  }

  /**
   * Closes the databases this JVM's H2 still holds open, as H2's hook would. Closing the pool closes
   * a database only once no other process is connected through this JVM's server; otherwise the JVM
   * would exit leaving H2's lock file behind for the next start to break. Those sessions, such as
   * the application's own pool on the same file, usually end within moments at exit, so they get
   * {@code patience} to leave before the database is closed under them.
   */
  static void closeDatabasesNow(Duration patience) {
    hook().ifPresent(hook -> {
      awaitNoneOpen(hook.getClass(), patience);
      hook.run();
    });
  }

  private static void awaitNoneOpen(Class<?> closer, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    try {
      Field databases = closer.getDeclaredField("DATABASES");
      databases.setAccessible(true);
      while (System.nanoTime() < deadline) {
        synchronized (closer) {
          if (((Map<?, ?>) databases.get(null)).isEmpty()) {
            return;
          }
        }
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ReflectiveOperationException | RuntimeException e) {
      // An H2 that keeps no such list is closed at once.
    }
  }

  private static Optional<Thread> hook() {
    try {
      Class<?> closer = Class.forName("org.h2.engine.OnExitDatabaseCloser", true, H2ShutdownHook.class.getClassLoader());
      Field instance = closer.getDeclaredField("INSTANCE");
      instance.setAccessible(true);
      return Optional.of((Thread) instance.get(null));
    } catch (ReflectiveOperationException | RuntimeException e) {
      // An H2 without that hook closes nothing early.
      return Optional.empty();
    }
  }
}
