package dev.bgtask.bench.startup;

/** The smallest application: start, print, exit. Measures what the agent adds to a JVM's start. */
public final class HelloApp {

  private HelloApp() {}

  public static void main(String[] args) {
    System.out.println("hello");
  }
}
