package dev.bgtask.spring;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** {@link BackgroundTaskHealthIndicator} for Spring Boot 4's health API. */
final class BackgroundTaskHealthContributor extends AbstractHealthIndicator {

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    AgentHealth health = AgentHealth.read();
    builder.status(health.status()).withDetails(health.details());
  }
}
