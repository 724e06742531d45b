package dev.bgtask.spring;

import dev.bgtask.BackgroundTasks;
import java.util.Map;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The queue at {@code /actuator/health} (as {@code backgroundTasks}): what the agent's own
 * {@code /health} says: the database answers, no claim is left to a gone worker, due tasks have a
 * live worker, and this JVM's heartbeat and dispatcher are fine.
 */
final class BackgroundTaskHealthIndicator extends AbstractHealthIndicator {

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    if (!BackgroundTasks.isAgentAttached()) {
      builder.unknown().withDetail("agent", "not attached: @Background methods run in their callers");
      return;
    }
    Map<String, Object> health = BackgroundTasks.health();
    builder.status("UP".equals(health.get("status")) ? "UP" : "DOWN").withDetails(checksOf(health));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> checksOf(Map<String, Object> health) {
    Object checks = health.get("checks");
    return checks instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }
}
