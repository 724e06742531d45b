package dev.bgtask.runtime.metrics.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Registers the agent's meters in the application's Micrometer. This class is never loaded by the
 * agent's own class loader: {@code MicrometerBridge} defines it in a loader whose parent is the one
 * that loaded the application's Micrometer, so it links against the application's version. It
 * sees nothing of the agent but JDK types: each meter comes as a map of a name, a type, tags and
 * the suppliers that read its value.
 */
public final class MicrometerMeters {

  /**
   * Micrometer holds a function meter's state object weakly, so the meters would read NaN once the
   * collector took the suppliers: this class, which the registered functions keep loaded, holds them.
   */
  private static final List<Map<String, Object>> REGISTERED = new CopyOnWriteArrayList<>();

  private MicrometerMeters() {}

  /** Registers {@code meters} on {@link Metrics#globalRegistry}, which Spring Boot and most set-ups feed their registries from. */
  public static void register(List<Map<String, Object>> meters) {
    MeterRegistry registry = Metrics.globalRegistry;
    REGISTERED.addAll(meters);
    for (Map<String, Object> meter : meters) {
      String name = (String) meter.get("name");
      String description = (String) meter.get("description");
      List<Tag> tags = tags(meter);
      switch ((String) meter.get("type")) {
        case "counter" -> FunctionCounter.builder(name, (DoubleSupplier) meter.get("value"), DoubleSupplier::getAsDouble)
            .description(description).baseUnit((String) meter.get("unit")).tags(tags).register(registry);
        case "gauge" -> Gauge.builder(name, (DoubleSupplier) meter.get("value"), DoubleSupplier::getAsDouble)
            .description(description).baseUnit((String) meter.get("unit")).tags(tags).register(registry);
        case "timer" -> FunctionTimer.builder(name, meter, m -> ((LongSupplier) m.get("count")).getAsLong(),
                m -> ((DoubleSupplier) m.get("totalSeconds")).getAsDouble(), TimeUnit.SECONDS)
            .description(description).tags(tags).register(registry);
        default -> throw new IllegalArgumentException("unknown meter type " + meter.get("type"));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Tag> tags(Map<String, Object> meter) {
    List<Tag> tags = new ArrayList<>();
    ((Map<String, String>) meter.getOrDefault("tags", Map.of())).forEach((key, value) -> tags.add(Tag.of(key, value)));
    return tags;
  }
}
