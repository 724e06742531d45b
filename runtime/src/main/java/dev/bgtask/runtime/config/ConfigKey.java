package dev.bgtask.runtime.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Every configuration key the agent accepts, with its default and meaning. Anything else is refused. */
public enum ConfigKey {
  URL("url", "", "JDBC URL of the task database; empty means an H2 file ./background-tasks in the working directory"),
  USER("user", "", "database user (for the embedded H2 default: sa)"),
  PASSWORD("password", "", "database password"),
  POOLER("pooler", "none", "none: url reaches PostgreSQL directly or through a session-mode pooler; transaction: through a"
      + " transaction-mode pooler such as pgbouncer (no server-side prepared statements, no LISTEN through it)"),
  LISTEN_URL("listenUrl", "", "PostgreSQL: a JDBC URL straight to the database, for the connection that hears of new tasks;"
      + " empty = through url, or polling when pooler=transaction"),
  POOL_SIZE("poolSize", "0", "connections in the agent's pool; 0 means the larger of 10 and workers + 2"),
  WORKERS("workers", "4", "worker threads in this JVM; 0 = enqueue only"),
  PAUSED("paused", "false", "true: this JVM's workers start paused, until BackgroundTasks.resume()"),
  QUEUES("queues", "", "queues this JVM's workers take, separated by |; empty means all"),
  SLEEP("sleep", "5s", "how long an idle worker waits before looking for due tasks again"),
  HEARTBEAT("heartbeat", "5s", "how often a worker JVM records that it is alive"),
  WORKER_TIMEOUT("workerTimeout", "30s", "a worker JVM silent this long is dead: its running tasks are run again"),
  SHUTDOWN_GRACE("shutdownGrace", "10s", "at exit, how long running tasks may take to finish before their claims are given back"),
  MAX_ATTEMPTS("maxAttempts", "25", "attempts before a failing task is given up"),
  MAX_RUN_TIME("maxRunTime", "0", "how long an attempt may run before it is interrupted and counted as failed; 0 = no limit"),
  PRIORITY_ORDERING("priorityOrdering", "desc", "desc: higher priority runs first; asc: lower runs first"),
  MODE("mode", "workers", "workers: calls are stored and run by workers; inline: every call runs at once in the caller (for tests)"),
  HISTORY("history", "7d", "how long finished tasks are kept in the completed table; off = not kept"),
  TABLE_PREFIX("tablePrefix", "bgtask_", "prefix of the agent's table names"),
  LOG_LEVEL("logLevel", "info", "the agent's own log level: error, warn, info, debug"),
  DASHBOARD("dashboard", "off", "port of the web dashboard this JVM serves; off = none"),
  DASHBOARD_HOST("dashboardHost", "127.0.0.1", "address the dashboard and metricsPort bind to; loopback unless set"),
  DASHBOARD_TOKEN("dashboardToken", "", "the token every dashboard request needs; empty = a random one, printed once at start"),
  DASHBOARD_READ_ONLY("dashboardReadOnly", "false", "true: the dashboard shows everything and refuses every action"),
  DASHBOARD_PATH("dashboardPath", "/", "the dashboard's path prefix, e.g. /ops/tasks behind a reverse proxy"),
  METRICS_PORT("metricsPort", "off", "port serving /metrics (Prometheus text) and /health without a token; off = none"),
  JMX("jmx", "true", "true: this JVM's figures are MXBeans under dev.bgtask"),
  CONFIG("config", "", "a .properties file holding any of these keys");

  private final String key;
  private final String defaultValue;
  private final String description;

  ConfigKey(String key, String defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** {@code maxAttempts} as an environment variable: {@code BGTASK_MAX_ATTEMPTS}. */
  public String environmentName() {
    return "BGTASK_" + key.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  public static Optional<ConfigKey> byKey(String key) {
    return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
  }

  public static Optional<ConfigKey> byEnvironmentName(String name) {
    return Arrays.stream(values()).filter(k -> k.environmentName().equals(name)).findFirst();
  }

  public static String validKeys() {
    return Arrays.stream(values()).map(ConfigKey::key).collect(Collectors.joining(", "));
  }

  /** The valid key closest to a misspelt one, when one is close enough to be a likely typo. */
  public static Optional<String> closestTo(String unknown) {
    List<ConfigKey> keys = Arrays.asList(values());
    String lower = unknown.toLowerCase(Locale.ROOT);
    return keys.stream()
        .map(ConfigKey::key)
        .filter(k -> editDistance(k.toLowerCase(Locale.ROOT), lower) <= Math.max(2, k.length() / 4))
        .min((a, b) -> editDistance(a.toLowerCase(Locale.ROOT), lower) - editDistance(b.toLowerCase(Locale.ROOT), lower));
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
