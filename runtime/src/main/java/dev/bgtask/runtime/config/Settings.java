package dev.bgtask.runtime.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** The validated configuration the runtime works with. Immutable once read. */
public final class Settings {

  private static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");

  private final String url;
  private final String user;
  private final String password;
  private final boolean transactionPooler;
  private final String listenUrl;
  private final int poolSize;
  private final int workers;
  private final List<String> queues;
  private final Duration sleep;
  private final int maxAttempts;
  private final Optional<Duration> history;
  private final String tablePrefix;
  private final String logLevel;
  private final boolean ascendingPriority;
  private final boolean inline;
  private final Duration maxRunTime;
  private final Duration heartbeat;
  private final Duration workerTimeout;
  private final Duration shutdownGrace;
  private final boolean paused;
  private final java.util.OptionalInt dashboardPort;
  private final String dashboardHost;
  private final String dashboardToken;
  private final boolean dashboardReadOnly;
  private final String dashboardPath;
  private final java.util.OptionalInt metricsPort;
  private final boolean jmx;

  private Settings(ConfigSources sources) {
    url = sources.valueOf(ConfigKey.URL).trim();
    user = sources.valueOf(ConfigKey.USER);
    password = sources.valueOf(ConfigKey.PASSWORD);
    transactionPooler = oneOf(sources, ConfigKey.POOLER, List.of("none", "session", "transaction")).equals("transaction");
    listenUrl = sources.valueOf(ConfigKey.LISTEN_URL).trim();
    checkPostgresOnly(sources, ConfigKey.POOLER, transactionPooler);
    checkPostgresOnly(sources, ConfigKey.LISTEN_URL, !listenUrl.isEmpty());
    if (!listenUrl.isEmpty() && !isPostgres(listenUrl)) {
      throw ConfigValues.invalid(ConfigKey.LISTEN_URL, Secrets.masked(listenUrl), sources.originOf(ConfigKey.LISTEN_URL),
          "a jdbc:postgresql: URL straight to the task database");
    }
    workers = ConfigValues.nonNegativeInt(ConfigKey.WORKERS, sources.valueOf(ConfigKey.WORKERS), sources.originOf(ConfigKey.WORKERS));
    int pool = ConfigValues.nonNegativeInt(ConfigKey.POOL_SIZE, sources.valueOf(ConfigKey.POOL_SIZE), sources.originOf(ConfigKey.POOL_SIZE));
    // Callers enqueue from any number of application threads, not only the workers.
    poolSize = pool == 0 ? Math.max(10, workers + 2) : pool;
    queues = parseQueues(sources.valueOf(ConfigKey.QUEUES));
    sleep = ConfigValues.duration(ConfigKey.SLEEP, sources.valueOf(ConfigKey.SLEEP), sources.originOf(ConfigKey.SLEEP));
    maxAttempts = ConfigValues.positiveInt(ConfigKey.MAX_ATTEMPTS, sources.valueOf(ConfigKey.MAX_ATTEMPTS), sources.originOf(ConfigKey.MAX_ATTEMPTS));
    String historyValue = sources.valueOf(ConfigKey.HISTORY).trim();
    history = historyValue.equalsIgnoreCase("off")
        ? Optional.empty()
        : Optional.of(ConfigValues.duration(ConfigKey.HISTORY, historyValue, sources.originOf(ConfigKey.HISTORY)));
    tablePrefix = ConfigValues.identifier(ConfigKey.TABLE_PREFIX, sources.valueOf(ConfigKey.TABLE_PREFIX), sources.originOf(ConfigKey.TABLE_PREFIX));
    logLevel = sources.valueOf(ConfigKey.LOG_LEVEL).trim().toLowerCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(logLevel)) {
      throw ConfigValues.invalid(ConfigKey.LOG_LEVEL, logLevel, sources.originOf(ConfigKey.LOG_LEVEL), "one of " + LOG_LEVELS);
    }
    maxRunTime = ConfigValues.duration(ConfigKey.MAX_RUN_TIME, sources.valueOf(ConfigKey.MAX_RUN_TIME), sources.originOf(ConfigKey.MAX_RUN_TIME));
    heartbeat = ConfigValues.duration(ConfigKey.HEARTBEAT, sources.valueOf(ConfigKey.HEARTBEAT), sources.originOf(ConfigKey.HEARTBEAT));
    workerTimeout = ConfigValues.duration(ConfigKey.WORKER_TIMEOUT, sources.valueOf(ConfigKey.WORKER_TIMEOUT), sources.originOf(ConfigKey.WORKER_TIMEOUT));
    shutdownGrace = ConfigValues.duration(ConfigKey.SHUTDOWN_GRACE, sources.valueOf(ConfigKey.SHUTDOWN_GRACE), sources.originOf(ConfigKey.SHUTDOWN_GRACE));
    // A worker lets go of its claims after three quarters of the timeout without a confirmed
    // heartbeat; beats further apart than a third of it would make it let go for nothing.
    if (heartbeat.isZero() || workerTimeout.compareTo(heartbeat.multipliedBy(3)) < 0) {
      throw ConfigValues.invalid(ConfigKey.WORKER_TIMEOUT, sources.valueOf(ConfigKey.WORKER_TIMEOUT), sources.originOf(ConfigKey.WORKER_TIMEOUT),
          "at least three times the heartbeat (" + heartbeat.toMillis() + " ms), which must be above 0");
    }
    paused = oneOf(sources, ConfigKey.PAUSED, List.of("false", "true")).equals("true");
    ascendingPriority = oneOf(sources, ConfigKey.PRIORITY_ORDERING, List.of("desc", "asc")).equals("asc");
    inline = oneOf(sources, ConfigKey.MODE, List.of("workers", "inline")).equals("inline");
    dashboardPort = ConfigValues.port(ConfigKey.DASHBOARD, sources.valueOf(ConfigKey.DASHBOARD), sources.originOf(ConfigKey.DASHBOARD));
    metricsPort = ConfigValues.port(ConfigKey.METRICS_PORT, sources.valueOf(ConfigKey.METRICS_PORT), sources.originOf(ConfigKey.METRICS_PORT));
    dashboardHost = sources.valueOf(ConfigKey.DASHBOARD_HOST).trim();
    if (dashboardHost.isEmpty()) {
      throw ConfigValues.invalid(ConfigKey.DASHBOARD_HOST, dashboardHost, sources.originOf(ConfigKey.DASHBOARD_HOST),
          "an address or host name, such as 127.0.0.1 or 0.0.0.0");
    }
    dashboardToken = sources.valueOf(ConfigKey.DASHBOARD_TOKEN).trim();
    if (!dashboardToken.isEmpty() && dashboardToken.length() < 16) {
      throw ConfigValues.invalid(ConfigKey.DASHBOARD_TOKEN, "(hidden)", sources.originOf(ConfigKey.DASHBOARD_TOKEN),
          "at least 16 characters, or empty for a random one");
    }
    dashboardReadOnly = oneOf(sources, ConfigKey.DASHBOARD_READ_ONLY, List.of("false", "true")).equals("true");
    dashboardPath = ConfigValues.pathPrefix(ConfigKey.DASHBOARD_PATH, sources.valueOf(ConfigKey.DASHBOARD_PATH),
        sources.originOf(ConfigKey.DASHBOARD_PATH));
    jmx = oneOf(sources, ConfigKey.JMX, List.of("false", "true")).equals("true");
    if (sleep.isZero()) {
      throw ConfigValues.invalid(ConfigKey.SLEEP, sources.valueOf(ConfigKey.SLEEP), sources.originOf(ConfigKey.SLEEP), "a duration above 0");
    }
  }

  public static Settings from(ConfigSources sources) {
    return new Settings(sources);
  }

  /** Reads agent arguments, then {@code -Dbgtask.*}, then {@code BGTASK_*}, then the config file. */
  public static Settings load(Map<String, String> agentArguments) {
    return from(ConfigSources.read(agentArguments, System.getProperties(), System.getenv()));
  }

  public static Settings defaults() {
    return from(ConfigSources.read(Map.of(), new Properties(), Map.of()));
  }

  private static String oneOf(ConfigSources sources, ConfigKey key, List<String> allowed) {
    String value = sources.valueOf(key).trim().toLowerCase(Locale.ROOT);
    if (!allowed.contains(value)) {
      throw ConfigValues.invalid(key, sources.valueOf(key), sources.originOf(key), "one of " + allowed);
    }
    return value;
  }

  /** Transaction pooling and a separate LISTEN connection only mean something on PostgreSQL. */
  private void checkPostgresOnly(ConfigSources sources, ConfigKey key, boolean set) {
    if (set && !isPostgres(url)) {
      throw ConfigValues.invalid(key, Secrets.masked(sources.valueOf(key)), sources.originOf(key),
          "only for a PostgreSQL url (jdbc:postgresql:...), and url is " + (url.isEmpty() ? "the embedded H2 default" : Secrets.masked(url)));
    }
  }

  private static boolean isPostgres(String jdbcUrl) {
    return jdbcUrl.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:");
  }

  private static List<String> parseQueues(String value) {
    if (value.isBlank()) {
      return List.of();
    }
    return Arrays.stream(value.split("\\|")).map(String::trim).toList();
  }

  /** The JDBC URL; empty when the embedded H2 default is meant. */
  public String url() {
    return url;
  }

  /**
   * True when {@code url} goes through a transaction-mode pooler: every transaction may run on
   * another server connection, so nothing may outlive one (prepared statements, LISTEN, session locks).
   */
  public boolean transactionPooler() {
    return transactionPooler;
  }

  /** The URL the LISTEN connection uses instead of {@code url}; empty when there is none. */
  public String listenUrl() {
    return listenUrl;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  public int poolSize() {
    return poolSize;
  }

  public int workers() {
    return workers;
  }

  /** Queues this JVM's workers take; empty means all of them. */
  public List<String> queues() {
    return queues;
  }

  public Duration sleep() {
    return sleep;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  /** How long finished tasks are kept; empty when history is off. */
  public Optional<Duration> history() {
    return history;
  }

  public String tablePrefix() {
    return tablePrefix;
  }

  public String logLevel() {
    return logLevel;
  }

  /** True when lower priorities run first (django's {@code BACKGROUND_TASK_PRIORITY_ORDERING = "ASC"}). */
  public boolean ascendingPriority() {
    return ascendingPriority;
  }

  /** How long an attempt may run; zero means no limit. */
  public Duration maxRunTime() {
    return maxRunTime;
  }

  public Duration heartbeat() {
    return heartbeat;
  }

  public Duration workerTimeout() {
    return workerTimeout;
  }

  /** True when the workers start paused. */
  public boolean paused() {
    return paused;
  }

  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  /** True in {@code mode=inline}: no database, every call runs at once in the caller. */
  public boolean inline() {
    return inline;
  }

  /** The dashboard's port; empty when it is off. */
  public java.util.OptionalInt dashboardPort() {
    return dashboardPort;
  }

  public String dashboardHost() {
    return dashboardHost;
  }

  /** The dashboard's token; empty when a random one is to be made at start. */
  public String dashboardToken() {
    return dashboardToken;
  }

  public boolean dashboardReadOnly() {
    return dashboardReadOnly;
  }

  /** The dashboard's path prefix, with a / at each end. */
  public String dashboardPath() {
    return dashboardPath;
  }

  /** The port of /metrics and /health without a token; empty when it is off. */
  public java.util.OptionalInt metricsPort() {
    return metricsPort;
  }

  public boolean jmx() {
    return jmx;
  }
}
