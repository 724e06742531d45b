package dev.bgtask.bench.startup;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads (defines, without initialising) every class of the jars it is given, through a fresh class
 * loader, and prints how many and how long. None has an {@code @Background} method, so with the
 * agent each one costs only the agent's check of its bytes.
 */
public final class ClassLoadingApp {

  private ClassLoadingApp() {}

  /** Arguments: milliseconds to wait before loading (to let the agent finish starting), then the jars. */
  public static void main(String[] args) throws Exception {
    Thread.sleep(Long.parseLong(args[0]));
    List<String> jars = List.of(args).subList(1, args.length);
    List<URL> urls = new ArrayList<>();
    List<String> classNames = new ArrayList<>();
    for (String jar : jars) {
      urls.add(new File(jar).toURI().toURL());
      try (JarFile file = new JarFile(jar)) {
        for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
          String name = entries.nextElement().getName();
          if (name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class")) {
            classNames.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
          }
        }
      }
    }
    long loaded = 0;
    long start = System.nanoTime();
    try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoadingApp.class.getClassLoader())) {
      for (String name : classNames) {
        try {
          Class.forName(name, false, loader);
          loaded++;
        } catch (ClassNotFoundException | LinkageError optionalDependencyMissing) {
          // classes referring to optional libraries that are not on this class path
        }
      }
    }
    long micros = (System.nanoTime() - start) / 1_000;
    System.out.println("loaded " + loaded + " classes in " + micros + " us");
  }
}
