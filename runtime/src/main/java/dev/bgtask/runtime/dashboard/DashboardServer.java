package dev.bgtask.runtime.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bgtask.runtime.AgentThreads;
import dev.bgtask.runtime.config.Settings;
import dev.bgtask.runtime.health.HealthCheck;
import dev.bgtask.runtime.metrics.PrometheusText;
import dev.bgtask.runtime.metrics.TaskMetrics;
import dev.bgtask.runtime.metrics.WaitingTasks;
import dev.bgtask.runtime.store.Database;
import dev.bgtask.runtime.store.DatabaseUnavailableException;
import dev.bgtask.runtime.store.QueuePauses;
import dev.bgtask.runtime.store.RecurringScheduleStore;
import dev.bgtask.runtime.store.TaskAdmin;
import dev.bgtask.runtime.store.TaskBrowser;
import dev.bgtask.runtime.store.TaskStatsStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web dashboard, on the JDK's own HTTP server: the page and its assets, the JSON API under
 * {@code api/}, {@code metrics} and {@code health}, all under the configured path prefix and behind
 * the token ({@link DashboardAccess}). On {@code metricsPort}, a second server answers
 * {@code /metrics} and {@code /health} alone, without a token, for scrapers and load balancers.
 */
public final class DashboardServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);
  private static final int MAX_BODY = 64 * 1024;
  private static final List<String> ASSETS = List.of("app.js", "app.css");
  private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

  private final Optional<HttpServer> dashboard;
  private final Optional<HttpServer> metricsServer;
  private final ExecutorService threads;
  private final String url;

  /** What the pages and endpoints read from. */
  public record Sources(Database database, Clock clock, TaskMetrics metrics, WaitingTasks waiting, HealthCheck health) {}

  private DashboardServer(Optional<HttpServer> dashboard, Optional<HttpServer> metricsServer, ExecutorService threads, String url) {
    this.dashboard = dashboard;
    this.metricsServer = metricsServer;
    this.threads = threads;
    this.url = url;
  }

  /**
   * Starts the dashboard and the metrics port that {@code settings} ask for. The dashboard's URL,
   * with its token, is logged once: the token is generated here unless the settings give one.
   */
  public static DashboardServer start(Settings settings, Sources sources) throws IOException {
    sendWithoutDelay();
    ExecutorService threads = Executors.newFixedThreadPool(4, AgentThreads.named("bgtask-dashboard-"));
    String token = settings.dashboardToken().isEmpty() ? DashboardAccess.newToken() : settings.dashboardToken();
    String path = settings.dashboardPath();
    DashboardAccess access = new DashboardAccess(token, settings.dashboardReadOnly(), path);
    Database database = sources.database();
    Overview overview = new Overview(new TaskBrowser(database), new TaskStatsStore(database), new QueuePauses(database));
    DashboardApi api = new DashboardApi(new TaskBrowser(database), new TaskAdmin(database), new QueuePauses(database),
        new RecurringScheduleStore(database), overview, sources.clock(), settings.workerTimeout(), access);
    Handlers handlers = new Handlers(path, access, api, sources);
    Optional<HttpServer> dashboard = Optional.empty();
    Optional<HttpServer> metrics = Optional.empty();
    String url = null;
    try {
      if (settings.dashboardPort().isPresent()) {
        HttpServer server = HttpServer.create(new InetSocketAddress(settings.dashboardHost(), settings.dashboardPort().getAsInt()), 50);
        server.createContext("/", handlers::dashboard);
        server.setExecutor(threads);
        server.start();
        dashboard = Optional.of(server);
        url = "http://" + hostForUrl(settings.dashboardHost()) + ":" + server.getAddress().getPort() + path;
        log.info("dashboard{}: {}?token={}", settings.dashboardReadOnly() ? " (read-only)" : "", url,
            settings.dashboardToken().isEmpty() ? token : "<dashboardToken>");
      }
      if (settings.metricsPort().isPresent()) {
        HttpServer server = HttpServer.create(new InetSocketAddress(settings.dashboardHost(), settings.metricsPort().getAsInt()), 50);
        server.createContext("/", handlers::metricsPort);
        server.setExecutor(threads);
        server.start();
        metrics = Optional.of(server);
      }
    } catch (IOException | RuntimeException e) {
      dashboard.ifPresent(server -> server.stop(0));
      threads.shutdownNow();
      throw new IOException("cannot serve the dashboard on " + settings.dashboardHost() + ": " + e.getMessage()
          + " (is the port taken? set dashboard, metricsPort or dashboardHost)", e);
    }
    return new DashboardServer(dashboard, metrics, threads, url);
  }

  /**
   * The JDK's server writes a response's headers and its body apart; with Nagle's algorithm on, the
   * body then waits for the client's delayed ACK of the headers, some 40 ms on every request. The
   * server reads this property once, when its first instance is made; an application that sets it
   * itself keeps its value.
   */
  private static void sendWithoutDelay() {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** The dashboard's address, without the token; null when only the metrics port runs. */
  public String url() {
    return url;
  }

  @Override
  public void close() {
    dashboard.ifPresent(server -> server.stop(0));
    metricsServer.ifPresent(server -> server.stop(0));
    threads.shutdownNow();
  }

  private static String hostForUrl(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** Routes the requests of both servers. */
  private record Handlers(String path, DashboardAccess access, DashboardApi api, Sources sources) {

    void dashboard(HttpExchange exchange) throws IOException {
      try (exchange) {
        String requested = exchange.getRequestURI().getPath();
        if ((requested + "/").equals(path)) {
          String query = exchange.getRequestURI().getRawQuery();
          exchange.getResponseHeaders().add("Location", path + (query == null ? "" : "?" + query));
          send(exchange, 303, "text/plain; charset=utf-8", "");
          return;
        }
        if (!requested.startsWith(path)) {
          send(exchange, 404, "text/plain; charset=utf-8", "not found: the dashboard is at " + path);
          return;
        }
        String rest = requested.substring(path.length());
        if (ASSETS.contains(rest)) {
          asset(exchange, rest);
        } else if (!access.allows(exchange)) {
          refuseWithoutToken(exchange, rest);
        } else if (rest.isEmpty() || rest.equals("index.html")) {
          page(exchange);
        } else if (rest.startsWith("api/")) {
          api(exchange, rest.substring("api/".length()));
        } else if (rest.equals("metrics")) {
          metrics(exchange);
        } else if (rest.equals("health")) {
          health(exchange);
        } else {
          send(exchange, 404, "text/plain; charset=utf-8", "not found");
        }
      } catch (RuntimeException e) {
        log.warn("dashboard request {} failed", exchange.getRequestURI().getPath(), e);
      }
    }

    void metricsPort(HttpExchange exchange) throws IOException {
      try (exchange) {
        switch (exchange.getRequestURI().getPath()) {
          case "/metrics" -> metrics(exchange);
          case "/health" -> health(exchange);
          default -> send(exchange, 404, "text/plain; charset=utf-8", "not found: /metrics or /health");
        }
      }
    }

    private void page(HttpExchange exchange) throws IOException {
      if (access.cameInQuery(exchange)) {
        // The token leaves the address bar (and the history) for a cookie only this path sees.
        exchange.getResponseHeaders().add("Set-Cookie", access.sessionCookie());
        exchange.getResponseHeaders().add("Location", path);
        send(exchange, 303, "text/plain; charset=utf-8", "");
        return;
      }
      String html = new String(resource("index.html"), StandardCharsets.UTF_8).replace("{{base}}", escapeHtml(path));
      send(exchange, 200, "text/html; charset=utf-8", html);
    }

    private void asset(HttpExchange exchange, String name) throws IOException {
      String type = name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
      send(exchange, 200, type, resource(name));
    }

    private void refuseWithoutToken(HttpExchange exchange, String rest) throws IOException {
      String message = "this dashboard needs its token: open the address it printed at start (…?token=…),"
          + " or send it as 'Authorization: Bearer <token>' (set it with dashboardToken)";
      if (rest.startsWith("api/") || rest.equals("metrics") || rest.equals("health")) {
        sendJson(exchange, 401, Map.of("error", message));
      } else {
        send(exchange, 401, "text/html; charset=utf-8", "<!doctype html><title>background-task</title><p>" + escapeHtml(message));
      }
    }

    private void api(HttpExchange exchange, String rest) throws IOException {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("POST")) {
        sendJson(exchange, 405, Map.of("error", "GET or POST"));
        return;
      }
      if (method.equals("POST")) {
        String refusal = access.refusalOfAction(exchange);
        if (refusal != null) {
          sendJson(exchange, 403, Map.of("error", refusal));
          return;
        }
      }
      DashboardApi.Reply reply;
      try {
        List<String> segments = Arrays.stream(rest.split("/")).filter(segment -> !segment.isEmpty())
            .map(segment -> URLDecoder.decode(segment, StandardCharsets.UTF_8)).toList();
        reply = api.handle(new DashboardApi.Request(method, segments, query(exchange), body(exchange)));
      } catch (IllegalArgumentException e) {
        reply = DashboardApi.Reply.error(400, e.getMessage());
      } catch (DatabaseUnavailableException e) {
        reply = DashboardApi.Reply.error(503, e.getMessage());
      }
      sendJson(exchange, reply.status(), reply.body());
    }

    private void metrics(HttpExchange exchange) throws IOException {
      send(exchange, 200, PrometheusText.CONTENT_TYPE, PrometheusText.render(sources.metrics(), sources.waiting()));
    }

    private void health(HttpExchange exchange) throws IOException {
      HealthCheck.Result result = sources.health().check();
      sendJson(exchange, result.up() ? 200 : 503, result.asMap());
    }

    private static Map<String, String> query(HttpExchange exchange) {
      Map<String, String> query = new LinkedHashMap<>();
      String raw = exchange.getRequestURI().getRawQuery();
      if (raw != null) {
        for (String pair : raw.split("&")) {
          int equals = pair.indexOf('=');
          String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
          query.put(key, equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
      }
      return query;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(HttpExchange exchange) throws IOException {
      try (InputStream in = exchange.getRequestBody()) {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
          throw new IllegalArgumentException("the request body is larger than " + MAX_BODY + " bytes");
        }
        if (bytes.length == 0) {
          return Map.of();
        }
        try {
          Object parsed = JSON.readValue(bytes, Object.class);
          if (parsed instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
          }
        } catch (IOException e) {
          // reported below
        }
        throw new IllegalArgumentException("the request body must be a JSON object");
      }
    }

    private static byte[] resource(String name) throws IOException {
      try (InputStream in = DashboardServer.class.getResourceAsStream("web/" + name)) {
        if (in == null) {
          throw new IOException("the agent jar lacks the dashboard's " + name);
        }
        return in.readAllBytes();
      }
    }
  }

  private static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(exchange, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", contentType);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'");
    if (exchange.getRequestMethod().equals("HEAD") || status == 303) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String escapeHtml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
