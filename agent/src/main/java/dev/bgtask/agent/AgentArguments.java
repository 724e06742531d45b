package dev.bgtask.agent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The syntax of {@code -javaagent:background-task-agent.jar=key=value,key=value}. Only the syntax:
 * which keys exist and what their values mean is the runtime's configuration's to decide.
 */
final class AgentArguments {

  private AgentArguments() {}

  /** Splits on commas that start a new {@code key=}, so a value (a JDBC URL, say) may hold commas. */
  static Map<String, String> parse(String arguments) {
    Map<String, String> options = new LinkedHashMap<>();
    if (arguments == null || arguments.isBlank()) {
      return options;
    }
    for (String option : arguments.split(",(?=\\s*[A-Za-z][A-Za-z0-9]*\\s*=)")) {
      int equals = option.indexOf('=');
      String key = equals < 0 ? "" : option.substring(0, equals).trim();
      if (key.isEmpty()) {
        throw new IllegalArgumentException("malformed agent arguments '" + arguments
            + "': expected key=value,key=value (near '" + option + "')");
      }
      if (options.put(key, option.substring(equals + 1)) != null) {
        throw new IllegalArgumentException("agent argument '" + key + "' is given twice in '" + arguments + "'");
      }
    }
    return options;
  }
}
