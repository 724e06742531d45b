package dev.bgtask.e2e.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * An application with its own Micrometer (another version than any the agent was built with): it
 * adds a registry to the global one, runs three tasks, and prints what its registry then holds of
 * the agent's meters, as {@code meter <name> <queue or state> <value>} lines.
 */
public final class MicrometerApp {

  private MicrometerApp() {}

  public static void main(String[] args) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
    System.out.println("micrometer " + Meter.class.getPackage().getImplementationVersion());
    for (int i = 0; i < 3; i++) {
      Ledger.post(i);
    }
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (succeeded(registry) < 3 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    // Micrometer holds function meters' state weakly: a collection now shows any the agent did not keep.
    System.gc();
    for (Meter meter : registry.getMeters()) {
      String name = meter.getId().getName();
      if (!name.startsWith("bgtask.")) {
        continue;
      }
      String tag = meter.getId().getTag("queue") != null ? meter.getId().getTag("queue") : meter.getId().getTag("state");
      meter.measure().forEach(measurement -> System.out.println("meter " + name + " " + tag + " "
          + measurement.getStatistic() + " " + measurement.getValue()));
    }
    System.out.println("done");
  }

  private static double succeeded(SimpleMeterRegistry registry) {
    FunctionCounter counter = registry.find("bgtask.tasks.succeeded").tag("queue", "default").functionCounter();
    return counter == null ? 0 : counter.count();
  }
}
