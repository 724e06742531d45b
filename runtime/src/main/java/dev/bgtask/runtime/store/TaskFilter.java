package dev.bgtask.runtime.store;

import java.util.List;
import java.util.Locale;

/**
 * Which tasks a dashboard page or a bulk action means: one state, and optionally an exact id, an
 * exact queue, and text found in the task's name or in its arguments' JSON.
 */
public record TaskFilter(String state, Long id, String queue, String name, String arguments) {

  /** The states, as the dashboard names them: the first three are rows of the live table, the last two history. */
  public static final List<String> STATES = List.of("waiting", "scheduled", "running", "failed", "succeeded");

  public TaskFilter {
    state = state == null ? "" : state.toLowerCase(Locale.ROOT);
    if (!STATES.contains(state)) {
      throw new IllegalArgumentException("unknown state '" + state + "': one of " + STATES);
    }
    queue = blankToNull(queue);
    name = blankToNull(name);
    arguments = blankToNull(arguments);
  }

  public static TaskFilter of(String state) {
    return new TaskFilter(state, null, null, null, null);
  }

  boolean isLive() {
    return STATES.indexOf(state) < 3;
  }

  String nameLike() {
    return contains(name);
  }

  String argumentsLike() {
    return contains(arguments);
  }

  /** A LIKE pattern that finds {@code text} anywhere, its own wildcards taken literally (escape character '!'). */
  private static String contains(String text) {
    if (text == null) {
      return null;
    }
    return "%" + text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
