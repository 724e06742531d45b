package dev.bgtask.runtime.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Configures the agent's own Logback in code and stops there, so neither the application's
 * {@code logback.xml} nor {@code -Dlogback.configurationFile} ever reaches the agent's logging.
 * Registered through {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}.
 */
public final class AgentLogging extends ContextAwareBase implements Configurator {

  private static volatile Level level = Level.INFO;

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("[bgtask] %-5level %msg%n");
    encoder.start();

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("bgtask-console");
    console.setTarget("System.err");
    console.setEncoder(encoder);
    console.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(console);
    // The libraries inside the agent are chatty at INFO; only their problems concern the user.
    for (String library : new String[] {"com.zaxxer.hikari", "org.apache.ibatis", "org.h2", "org.postgresql", "org.mariadb"}) {
      context.getLogger(library).setLevel(Level.WARN);
    }
    // During a database outage MyBatis warns about every transaction it cannot close; the agent's own line says it once.
    context.getLogger("org.apache.ibatis").setLevel(Level.ERROR);
    // MariaDB's driver warns of every error the server sends, which then reaches the agent as an
    // exception: a claim that lost a race (a deadlock victim, a Galera certification failure) would
    // print a line though nothing is wrong.
    context.getLogger("org.mariadb.jdbc.message.server.ErrorPacket").setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Sends the agent's log lines to standard output instead of standard error (the worker command's {@code --log-std}). */
  public static void logToStandardOutput() {
    LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    ch.qos.logback.core.Appender<ILoggingEvent> appender = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("bgtask-console");
    if (appender instanceof ConsoleAppender<ILoggingEvent> console) {
      console.stop();
      console.setTarget("System.out");
      console.start();
    }
  }

  /**
   * Applies the {@code logLevel} setting. Called before anything logs, so usually it is only
   * remembered for {@link #configure}; SLF4J may still be initialising in another thread, and asking
   * it for its factory then would start a second initialisation.
   */
  public static void setLevel(String name) {
    level = Level.toLevel(name, Level.INFO);
  }
}
