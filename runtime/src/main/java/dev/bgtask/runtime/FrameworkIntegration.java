package dev.bgtask.runtime;

import java.io.File;
import java.io.IOException;
import java.util.jar.JarFile;

/**
 * Whether a framework integration will start this JVM's workers once the application is ready (the
 * Spring Boot starter does, when its context is ready): then the agent holds them from the start,
 * so no task runs before the beans it needs exist. The starter's jar carries a marker resource;
 * it is found on the class path, or inside a Spring Boot executable jar's {@code BOOT-INF/lib}.
 */
final class FrameworkIntegration {

  static final String MARKER = "META-INF/background-task/starts-workers";
  private static final String STARTER = "background-task-spring-boot-starter-";

  private FrameworkIntegration() {}

  static boolean startsWorkers() {
    if (ClassLoader.getSystemClassLoader().getResource(MARKER) != null) {
      return true;
    }
    // An executable jar is the whole class path (java -jar app.jar); a class path of many jars would show the marker.
    String[] classPath = System.getProperty("java.class.path", "").split(File.pathSeparator);
    return classPath.length == 1 && classPath[0].endsWith(".jar") && holdsTheStarter(classPath[0]);
  }

  /** A Spring Boot executable jar that nests the starter among its libraries. */
  private static boolean holdsTheStarter(String jar) {
    try (JarFile file = new JarFile(jar)) {
      return file.stream().anyMatch(entry -> (entry.getName().startsWith("BOOT-INF/lib/" + STARTER)
          || entry.getName().startsWith("WEB-INF/lib/" + STARTER)) && entry.getName().endsWith(".jar"));
    } catch (IOException | SecurityException unreadable) {
      return false;
    }
  }
}
