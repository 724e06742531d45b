package dev.bgtask.runtime.store;

import java.lang.reflect.Field;

/**
 * H2 closes its databases from a shutdown hook of its own, which runs at the same time as the
 * agent's; the agent's hook still has outcomes to record and claims to give back. H2 refuses
 * {@code DB_CLOSE_ON_EXIT=FALSE} together with {@code AUTO_SERVER}, so the agent removes H2's hook
 * instead and closes the database itself, last, by closing its pool. This reaches into the H2
 * version the agent carries, never the application's.
 */
final class H2ShutdownHook {

  private H2ShutdownHook() {}

  static void leaveClosingToTheAgent() {
    try {
      Class<?> closer = Class.forName("org.h2.engine.OnExitDatabaseCloser", true, H2ShutdownHook.class.getClassLoader());
      Field instance = closer.getDeclaredField("INSTANCE");
      instance.setAccessible(true);
      Runtime.getRuntime().removeShutdownHook((Thread) instance.get(null));
    } catch (ReflectiveOperationException | RuntimeException e) {
      // An H2 without that hook closes nothing early; an unregistered hook is not an error either.
    }
  }
}
