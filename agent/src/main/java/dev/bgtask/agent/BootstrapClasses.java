package dev.bgtask.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Puts the application-facing API ({@code dev.bgtask.*}: the annotation, the facade, the bridge the
 * rewritten methods call) in the boot loader, where every class loader finds it and the agent's
 * copy wins over any an application carries. Appending the jar to the boot class path would do the
 * same, but then the JVM turns class-data sharing off for every application class and says so at
 * every start; so the classes are defined in the boot loader one by one, through the JDK's internal
 * {@code Unsafe}, which an agent may open to itself. Where that is refused, the jar is appended.
 */
final class BootstrapClasses {

  private static final String API = "dev/bgtask/";
  private static final String AGENT = "dev/bgtask/agent/";

  private BootstrapClasses() {}

  static void install(JarFile jar, Instrumentation instrumentation) {
    try {
      defineInBootLoader(jar, instrumentation);
    } catch (ReflectiveOperationException | IOException | RuntimeException | LinkageError refused) {
      instrumentation.appendToBootstrapClassLoaderSearch(jar);
    }
  }

  private static void defineInBootLoader(JarFile jar, Instrumentation instrumentation) throws ReflectiveOperationException, IOException {
    Module javaBase = Object.class.getModule();
    instrumentation.redefineModule(javaBase, Set.of(), Map.of("jdk.internal.misc", Set.of(BootstrapClasses.class.getModule())),
        Map.of(), Set.of(), Map.of());
    Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
    Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
    Method define = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class, ClassLoader.class,
        ProtectionDomain.class);
    Map<String, byte[]> pending = apiClasses(jar);
    // A class whose supertype is not defined yet fails; it is tried again once the others are in.
    while (!pending.isEmpty()) {
      boolean defined = false;
      for (Iterator<Map.Entry<String, byte[]>> classes = pending.entrySet().iterator(); classes.hasNext(); ) {
        Map.Entry<String, byte[]> type = classes.next();
        try {
          define.invoke(unsafe, type.getKey(), type.getValue(), 0, type.getValue().length, null, null);
          classes.remove();
          defined = true;
        } catch (InvocationTargetException e) {
          if (!(e.getCause() instanceof NoClassDefFoundError)) {
            throw e;
          }
        }
      }
      if (!defined) {
        throw new IllegalStateException("cannot define " + pending.keySet() + " in the boot loader");
      }
    }
  }

  private static Map<String, byte[]> apiClasses(JarFile jar) throws IOException {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
      String name = entry.getName();
      if (name.startsWith(API) && !name.startsWith(AGENT) && name.endsWith(".class")) {
        try (InputStream in = jar.getInputStream(entry)) {
          classes.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'), in.readAllBytes());
        }
      }
    }
    return classes;
  }
}
