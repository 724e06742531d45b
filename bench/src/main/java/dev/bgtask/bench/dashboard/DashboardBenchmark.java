package dev.bgtask.bench.dashboard;

import dev.bgtask.bench.throughput.ThroughputBenchmark;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How fast the dashboard answers on big tables, and what it costs the workers. For each database:
 * the task tables filled with {@code finished} finished and {@code waiting} waiting tasks, the
 * agent's {@code dashboard} command serving them, and every page's API call timed (after a
 * warm-up, one after another); then our drain timed with the dashboard off and on (and read
 * every second, as a live page does), alternately, in the same run. Prints one JSON line per result.
 */
public final class DashboardBenchmark {

  private static final String TOKEN = "bench-dashboard-token-0123456789";
  private static final int WARM_UP = 5;

  private final Path agentJar;
  private final int finished;
  private final int waiting;
  private final int requests;
  private final int drains;
  private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public DashboardBenchmark(Path agentJar, int finished, int waiting, int requests, int drains) {
    if (!Files.isRegularFile(agentJar)) {
      throw new IllegalArgumentException("no agent jar at " + agentJar + "; build it with mvn -DskipTests package");
    }
    this.agentJar = agentJar;
    this.finished = finished;
    this.waiting = waiting;
    this.requests = requests;
    this.drains = drains;
  }

  /** The pages, then the drains (MariaDB's drain is not measured: the throughput harness has no MariaDB scratch database). */
  public void run(List<String> databases, int drainTasks, boolean timePages, boolean timeDrains, PrintStream out) throws Exception {
    for (String database : databases) {
      if (timePages) {
        pages(database, out);
      }
    }
    for (String database : databases) {
      if (timeDrains && drains > 0 && !database.equals("mariadb")) {
        drainCost(database, drainTasks, out);
      }
    }
  }

  /** Every page's API call on a filled database, timed. */
  private void pages(String kind, PrintStream out) throws Exception {
    try (BenchDatabase database = BenchDatabase.create(kind)) {
      command(database, "migrate").waitFor(2, TimeUnit.MINUTES); // creates the tables
      long filling = System.nanoTime();
      try (Connection connection = database.connect()) {
        new TableFiller(kind).fill(connection, finished, waiting);
      }
      out.printf(Locale.ROOT, "{\"benchmark\":\"dashboard-fill\",\"db\":\"%s\",\"finished\":%d,\"waiting\":%d,\"seconds\":%.1f}%n",
          kind, finished, waiting, (System.nanoTime() - filling) / 1e9);
      int port = freePort();
      Process server = command(database, "dashboard", "--port", String.valueOf(port));
      try {
        String base = "http://127.0.0.1:" + port + "/";
        awaitServing(base, server);
        long middle = finished + waiting / 2;
        for (Map.Entry<String, String> page : pages(middle).entrySet()) {
          // The overview is read at most every 2 s and shared by every open page: timed apart, each read is a fresh one.
          boolean shared = page.getKey().equals("overview");
          out.println(time(kind, page.getKey(), base + page.getValue(), shared ? Math.min(requests, 10) : requests, shared ? 2_100 : 0));
        }
      } finally {
        server.destroy();
        server.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Each page of the dashboard by the API call that fills it. */
  private Map<String, String> pages(long middleId) {
    Map<String, String> pages = new LinkedHashMap<>();
    pages.put("page (HTML)", "");
    pages.put("session", "api/session");
    pages.put("overview", "api/overview");
    pages.put("queues", "api/queues");
    pages.put("workers", "api/workers");
    pages.put("recurring", "api/recurring");
    pages.put("waiting, first page", "api/tasks?state=waiting");
    pages.put("waiting, deep page", "api/tasks?state=waiting&before=" + middleId);
    pages.put("scheduled", "api/tasks?state=scheduled");
    pages.put("running", "api/tasks?state=running");
    pages.put("succeeded, first page", "api/tasks?state=succeeded");
    pages.put("succeeded, deep page", "api/tasks?state=succeeded&before=" + finished / 2);
    pages.put("failed", "api/tasks?state=failed");
    pages.put("task detail", "api/tasks/" + finished / 3);
    pages.put("search by id", "api/tasks?state=succeeded&id=" + (finished / 3 + 1));
    pages.put("search by queue", "api/tasks?state=succeeded&queue=queue-3");
    pages.put("search by name", "api/tasks?state=succeeded&name=run7");
    pages.put("search in arguments", "api/tasks?state=succeeded&args=" + (finished / 2 + 7) + "%5D");
    pages.put("bulk count, failed", "api/tasks/count?state=failed");
    pages.put("metrics", "metrics");
    return pages;
  }

  private String time(String kind, String page, String url, int requests, long spacingMillis) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN)
        .timeout(Duration.ofMinutes(2)).GET().build();
    List<Long> micros = new ArrayList<>();
    int warmUp = spacingMillis > 0 ? 1 : WARM_UP;
    for (int i = 0; i < warmUp + requests; i++) {
      Thread.sleep(spacingMillis);
      long began = System.nanoTime();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      long took = (System.nanoTime() - began) / 1_000;
      if (response.statusCode() != 200) {
        throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
      }
      if (i >= warmUp) {
        micros.add(took);
      }
    }
    List<Long> sorted = micros.stream().sorted().toList();
    return String.format(Locale.ROOT, "{\"benchmark\":\"dashboard-page\",\"db\":\"%s\",\"page\":\"%s\",\"requests\":%d,"
        + "\"p50ms\":%.1f,\"p95ms\":%.1f,\"maxms\":%.1f}", kind, page, sorted.size(), percentile(sorted, 50),
        percentile(sorted, 95), sorted.get(sorted.size() - 1) / 1000.0);
  }

  /**
   * Our drain with the dashboard off and on, alternately, {@code drains} times each; with it on, a
   * client reads the overview and the first page of waiting tasks every second.
   */
  private void drainCost(String kind, int tasks, PrintStream out) throws Exception {
    ThroughputBenchmark drains = new ThroughputBenchmark(agentJar, tasks, List.of(kind));
    for (int round = 0; round < this.drains; round++) {
      out.println(labelled(drains.ourDrain(kind, "", () -> { }), "off"));
      int port = freePort();
      out.println(labelled(drains.ourDrain(kind, ",dashboard=" + port + ",dashboardToken=" + TOKEN,
          () -> readEverySecond("http://127.0.0.1:" + port + "/")), "on"));
    }
  }

  private static String labelled(String result, String dashboard) {
    return result.substring(0, result.length() - 1) + ",\"dashboard\":\"" + dashboard + "\"}";
  }

  /** What a live dashboard page does, faster: read the overview and a page of tasks every second, until interrupted. */
  private void readEverySecond(String base) {
    HttpRequest overview = HttpRequest.newBuilder(URI.create(base + "api/overview")).header("Authorization", "Bearer " + TOKEN).build();
    HttpRequest tasks = HttpRequest.newBuilder(URI.create(base + "api/tasks?state=waiting")).header("Authorization", "Bearer " + TOKEN).build();
    while (!Thread.currentThread().isInterrupted()) {
      try {
        http.send(overview, HttpResponse.BodyHandlers.discarding());
        http.send(tasks, HttpResponse.BodyHandlers.discarding());
      } catch (IOException notServingYet) {
        // the draining JVM is still starting, or has just ended
      } catch (InterruptedException e) {
        return;
      }
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** {@code java -jar agent.jar <arguments>} on {@code database}, its output discarded. */
  private Process command(BenchDatabase database, String... arguments) throws IOException {
    List<String> command = new ArrayList<>(List.of(java.toString(), "-jar", agentJar.toString()));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("BGTASK_URL", database.url());
    builder.environment().put("BGTASK_USER", database.user());
    builder.environment().put("BGTASK_DASHBOARD_TOKEN", TOKEN);
    return builder.start();
  }

  private void awaitServing(String base, Process server) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "api/session")).header("Authorization", "Bearer " + TOKEN).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException("the dashboard command exited with " + server.exitValue());
      }
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the dashboard did not answer within 120 s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static double percentile(List<Long> sortedMicros, int percent) {
    int index = Math.min(sortedMicros.size() - 1, (int) Math.ceil(percent / 100.0 * sortedMicros.size()) - 1);
    return sortedMicros.get(Math.max(0, index)) / 1000.0;
  }
}
