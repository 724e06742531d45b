package dev.bgtask.spring;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Spring Boot 3's indicator. The queue at {@code /actuator/health} (as {@code backgroundTasks}): what the agent's own
 * {@code /health} says: the database answers, no claim is left to a gone worker, due tasks have a
 * live worker, and this JVM's heartbeat and dispatcher are fine.
 */
final class BackgroundTaskHealthIndicator extends AbstractHealthIndicator {

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    AgentHealth health = AgentHealth.read();
    builder.status(health.status()).withDetails(health.details());
  }
}
