package dev.bgtask.e2e.app;

import dev.bgtask.Background;

/** Has no no-argument constructor: workers need an InstanceResolver to make one. */
public class Greeter {

  private final String greeting;

  public Greeter(String greeting) {
    this.greeting = greeting;
  }

  @Background
  public void greet(String name) {
    Results.record("greet " + greeting + " " + name);
  }
}
