package dev.bgtask.runtime.cli;

import dev.bgtask.runtime.config.Settings;
import dev.bgtask.runtime.dashboard.DashboardServer;
import dev.bgtask.runtime.health.HealthCheck;
import dev.bgtask.runtime.metrics.TaskMetrics;
import dev.bgtask.runtime.metrics.WaitingTasks;
import dev.bgtask.runtime.store.Database;
import dev.bgtask.runtime.store.DatabaseClock;
import dev.bgtask.runtime.store.SchemaMigrator;
import dev.bgtask.runtime.store.TaskBrowser;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "dashboard", description = "Serves the web dashboard of the configured task database until stopped;"
    + " the application's classes are not needed.")
final class DashboardCommand implements Runnable {

  @Mixin
  TaskDatabaseOptions options;

  @Option(names = "--port", defaultValue = "8090", description = "the port (default ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--host", description = "the address to bind (default: the dashboardHost setting, 127.0.0.1)")
  String host;

  @Option(names = "--path", description = "the path prefix (default: the dashboardPath setting, /)")
  String path;

  @Option(names = "--read-only", description = "show everything, refuse every action")
  boolean readOnly;

  @Override
  public void run() {
    Map<String, String> overrides = new HashMap<>(Map.of("dashboard", String.valueOf(port)));
    if (host != null) {
      overrides.put("dashboardHost", host);
    }
    if (path != null) {
      overrides.put("dashboardPath", path);
    }
    if (readOnly) {
      overrides.put("dashboardReadOnly", "true");
    }
    Settings settings = options.settings(overrides);
    CountDownLatch stopped = new CountDownLatch(1);
    try (Database database = Database.connect(settings)) {
      TaskDatabaseOptions.checkSchema(database, settings, SchemaMigrator::checkReadable); // the dashboard never changes the schema
      Clock clock = DatabaseClock.read(database).keepReading();
      TaskBrowser browser = new TaskBrowser(database);
      HealthCheck health = new HealthCheck(browser, clock, settings.workerTimeout(), Optional::empty);
      try (DashboardServer server = DashboardServer.start(settings,
          new DashboardServer.Sources(database, clock, new TaskMetrics(), new WaitingTasks(browser, clock), health))) {
        options.out().println("serving the dashboard at " + server.url() + " until stopped (Ctrl-C)");
        options.out().flush();
        Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "bgtask-dashboard-stop"));
        stopped.await();
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
