package dev.bgtask.e2e.app;

import dev.bgtask.InstanceResolver;

/** Registered in META-INF/services: makes Greeters, and everything else through its no-argument constructor. */
public class GreeterResolver implements InstanceResolver {

  @Override
  public Object instanceOf(Class<?> type) throws Exception {
    if (type == Greeter.class) {
      return new Greeter("Hello");
    }
    var constructor = type.getDeclaredConstructor();
    constructor.setAccessible(true);
    return constructor.newInstance();
  }
}
