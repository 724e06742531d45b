package dev.bgtask.e2e.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bgtask.Background;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application with its own Jackson, Logback and logback.xml. It reports which versions it sees
 * and whether any of the agent's libraries leak into its class path.
 */
public final class IsolationApp {

  private static final Logger log = LoggerFactory.getLogger(IsolationApp.class);

  private IsolationApp() {}

  public static void main(String[] args) throws Exception {
    log.info("application started");
    System.out.println("app jackson " + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION);
    System.out.println("app logback " + ch.qos.logback.classic.LoggerContext.class.getPackage().getImplementationVersion());
    for (String agentClass : new String[] {"net.bytebuddy.ByteBuddy", "com.zaxxer.hikari.HikariDataSource",
        "org.apache.ibatis.session.SqlSession", "dev.bgtask.runtime.Engine", "com.cronutils.parser.CronParser", "picocli.CommandLine"}) {
      System.out.println("visible " + agentClass + " " + isVisible(agentClass));
    }
    report(Map.of("order", 42));
    System.out.println("enqueued");
    while (System.in.read() != -1) {
      // wait for the test
    }
  }

  @Background
  public static void report(Map<String, Integer> data) throws Exception {
    log.info("task body ran with {}", new ObjectMapper().writeValueAsString(data));
    Results.record("isolation task " + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION);
  }

  private static boolean isVisible(String className) {
    try {
      Class.forName(className);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
