package dev.bgtask.runtime.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the value syntaxes of the configuration: counts, durations and names. */
final class ConfigValues {

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

  private ConfigValues() {}

  static int nonNegativeInt(ConfigKey key, String value, String source) {
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed >= 0) {
        return parsed;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw invalid(key, value, source, "a whole number, 0 or more");
  }

  static int positiveInt(ConfigKey key, String value, String source) {
    int parsed = nonNegativeInt(key, value, source);
    if (parsed == 0) {
      throw invalid(key, value, source, "a whole number, 1 or more");
    }
    return parsed;
  }

  /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}; a bare number is seconds. */
  static Duration duration(ConfigKey key, String value, String source) {
    Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw invalid(key, value, source, "a duration such as 500ms, 30s, 5m, 2h or 7d");
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    long millisPerUnit = switch (unit) {
      case "ms" -> 1L;
      case "s" -> 1_000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      default -> 86_400_000L;
    };
    return Duration.ofMillis(Math.round(amount * millisPerUnit));
  }

  /** A TCP port, 1 to 65535, or {@code off} (also {@code 0}) for none. */
  static java.util.OptionalInt port(ConfigKey key, String value, String source) {
    String trimmed = value.trim().toLowerCase(Locale.ROOT);
    if (trimmed.equals("off") || trimmed.equals("0")) {
      return java.util.OptionalInt.empty();
    }
    try {
      int port = Integer.parseInt(trimmed);
      if (port > 0 && port <= 65535) {
        return java.util.OptionalInt.of(port);
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw invalid(key, value, source, "a port from 1 to 65535, or off");
  }

  /** A URL path prefix: starts with /, no spaces, query or fragment; returned with one / at each end. */
  static String pathPrefix(ConfigKey key, String value, String source) {
    String trimmed = value.trim();
    if (!trimmed.matches("/[A-Za-z0-9._~/-]*")) {
      throw invalid(key, value, source, "a path starting with /, such as /ops/tasks");
    }
    return trimmed.endsWith("/") ? trimmed : trimmed + "/";
  }

  static String identifier(ConfigKey key, String value, String source) {
    if (!value.matches("[A-Za-z_][A-Za-z0-9_]{0,29}")) {
      throw invalid(key, value, source, "letters, digits and _ (at most 30), starting with a letter or _");
    }
    return value;
  }

  static ConfigException invalid(ConfigKey key, String value, String source, String expected) {
    return new ConfigException(
        "invalid value '" + value + "' for " + key.key() + " (" + source + "): expected " + expected);
  }
}
