package dev.bgtask.spring;

import dev.bgtask.BackgroundTasks;
import java.util.Map;

/** The agent's health report as an Actuator status and details, the same for every Spring Boot version's indicator. */
record AgentHealth(String status, Map<String, Object> details) {

  static AgentHealth read() {
    if (!BackgroundTasks.isAgentAttached()) {
      return new AgentHealth("UNKNOWN", Map.of("agent", "not attached: @Background methods run in their callers"));
    }
    Map<String, Object> health = BackgroundTasks.health();
    return new AgentHealth("UP".equals(health.get("status")) ? "UP" : "DOWN", checksOf(health));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> checksOf(Map<String, Object> health) {
    Object checks = health.get("checks");
    return checks instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }
}
