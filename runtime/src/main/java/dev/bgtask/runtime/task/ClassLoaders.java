package dev.bgtask.runtime.task;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which class loader defined each rewritten class, so a worker can find the class a row names even
 * when the application loads it through its own loader. Held weakly: an undeployed application's
 * loader must stay collectable.
 */
public final class ClassLoaders {

  private final Map<String, WeakReference<ClassLoader>> loaderByClass = new ConcurrentHashMap<>();
  private final java.util.Set<String> unloadable = ConcurrentHashMap.newKeySet();

  public void remember(String className, ClassLoader loader) {
    if (loader != null) {
      loaderByClass.put(className, new WeakReference<>(loader));
      unloadable.remove(className);
    }
  }

  /** Records that this JVM cannot load the class; true the first time, so it is reported once. */
  public boolean markUnloadable(String className) {
    return unloadable.add(className);
  }

  /** Classes this JVM could not load and has not rewritten since: its claims leave their tasks to other JVMs. */
  public java.util.Set<String> unloadable() {
    return java.util.Set.copyOf(unloadable);
  }

  /** The class, from the loader that rewrote it, else from the application class path. */
  public Class<?> load(String className) throws ClassNotFoundException {
    WeakReference<ClassLoader> remembered = loaderByClass.get(className);
    ClassLoader loader = remembered == null ? null : remembered.get();
    if (loader != null) {
      return Class.forName(className, false, loader);
    }
    return Class.forName(className, false, ClassLoader.getSystemClassLoader());
  }
}
