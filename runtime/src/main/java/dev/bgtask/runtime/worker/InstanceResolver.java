package dev.bgtask.runtime.worker;

import java.lang.reflect.Constructor;

/** Makes the receiver an instance method's task runs on. The default calls the no-argument constructor. */
public interface InstanceResolver {

  Object instanceOf(Class<?> type) throws Exception;

  InstanceResolver NO_ARG_CONSTRUCTOR = type -> {
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
}
