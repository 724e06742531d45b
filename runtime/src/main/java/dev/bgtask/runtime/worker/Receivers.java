package dev.bgtask.runtime.worker;

import dev.bgtask.InstanceResolver;
import java.lang.reflect.Constructor;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * Where workers get the object an instance method's task runs on: the resolver the application
 * registered through {@code BackgroundTasks.useInstanceResolver}, else the first
 * {@code META-INF/services/dev.bgtask.InstanceResolver} on its class path, else the no-argument
 * constructor.
 */
public final class Receivers {

  static final InstanceResolver NO_ARG_CONSTRUCTOR = type -> {
    Constructor<?> constructor;
    try {
      constructor = type.getDeclaredConstructor();
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(type.getName() + " has no no-argument constructor, so a worker cannot"
          + " make the instance its @Background method runs on; add one, or register an InstanceResolver");
    }
    constructor.setAccessible(true);
    return constructor.newInstance();
  };

  private volatile InstanceResolver resolver;

  public void use(InstanceResolver registered) {
    resolver = registered;
  }

  public Object instanceOf(Class<?> type) throws Exception {
    InstanceResolver current = resolver;
    if (current == null) {
      current = fromServiceLoader();
      resolver = current;
    }
    Object instance = current.instanceOf(type);
    if (!type.isInstance(instance)) {
      throw new IllegalStateException("the InstanceResolver " + current.getClass().getName() + " returned "
          + (instance == null ? "null" : "a " + instance.getClass().getName()) + " for " + type.getName());
    }
    return instance;
  }

  private static InstanceResolver fromServiceLoader() {
    Iterator<InstanceResolver> found = ServiceLoader.load(InstanceResolver.class, ClassLoader.getSystemClassLoader()).iterator();
    return found.hasNext() ? found.next() : NO_ARG_CONSTRUCTOR;
  }
}
