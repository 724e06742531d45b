package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.FreePort;
import dev.bgtask.e2e.support.Http;
import dev.bgtask.e2e.support.TestDatabase;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §9: who may reach the dashboard. It binds to loopback unless told otherwise; every request
 * needs its token (generated and printed once when none is set); actions also need the page's CSRF
 * value and are refused outright in read-only mode; it lives under its path prefix; the metrics
 * port answers without a token.
 */
class DashboardAccessTest {

  private static final String TOKEN = "a-token-long-enough-0123";

  @TempDir
  Path directory;

  private final List<ChildJvm> jvms = new java.util.ArrayList<>();

  @AfterEach
  void stop() {
    jvms.forEach(ChildJvm::stop);
  }

  @Test
  void withoutATokenSettingEveryRequestNeedsTheOnePrintedAtStartAndActionsNeedTheCsrfValue() {
    int port = FreePort.pick();
    ChildJvm app = start("dashboard=" + port);
    String base = "http://127.0.0.1:" + port + "/";
    Http.awaitServing(base, app);
    Matcher printed = Pattern.compile("dashboard: (http://127\\.0\\.0\\.1:" + port + "/)\\?token=([A-Za-z0-9_-]{20,})").matcher(app.stderr());
    assertTrue(printed.find(), "the start prints the address with its token: " + app.stderr());
    String token = printed.group(2);
    assertEquals(1, app.stderr().split("token=", -1).length - 1, "printed once");

    assertEquals(401, Http.get(base).statusCode());
    assertEquals(401, Http.get(base + "api/overview").statusCode());
    assertEquals(401, Http.get(base + "api/overview", "Authorization", "Bearer wrong-token-0123456789").statusCode());
    assertEquals(401, Http.get(base + "metrics").statusCode());
    assertEquals(401, Http.get(base + "?token=wrong").statusCode());
    assertEquals(200, Http.get(base + "api/overview", "Authorization", "Bearer " + token).statusCode());

    HttpResponse<String> opened = Http.get(base + "?token=" + token);
    assertEquals(303, opened.statusCode(), "the token leaves the address bar");
    assertEquals("/", opened.headers().firstValue("Location").orElseThrow());
    String cookie = opened.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
    String session = cookie.substring(0, cookie.indexOf(';'));
    assertEquals(200, Http.get(base, "Cookie", session).statusCode());
    String csrf = csrfOf(Http.get(base + "api/session", "Cookie", session).body());

    String pause = "{\"queue\":\"mail\"}";
    assertEquals(403, Http.post(base + "api/queues/pause", pause, "Cookie", session).statusCode(), "no CSRF value");
    assertEquals(403, Http.post(base + "api/queues/pause", pause, "Cookie", session, "X-Bgtask-Csrf", "forged").statusCode());
    assertEquals(403, Http.post(base + "api/queues/pause", pause, "Cookie", session, "X-Bgtask-Csrf", csrf,
        "Sec-Fetch-Site", "cross-site").statusCode(), "from another site");
    assertEquals(200, Http.post(base + "api/queues/pause", pause, "Cookie", session, "X-Bgtask-Csrf", csrf).statusCode());
    assertEquals(200, Http.post(base + "api/queues/resume", pause, "Authorization", "Bearer " + token, "X-Bgtask-Csrf", csrf).statusCode());
    assertTrue(Http.get(base + "api/tasks?state=bogus", "Cookie", session).body().contains("unknown state"), "bad input is named");
  }

  @Test
  void itListensOnLoopbackOnlyUnlessDashboardHostSaysOtherwise() throws Exception {
    InetAddress outside = nonLoopbackAddress();
    int port = FreePort.pick();
    ChildJvm loopback = start("dashboard=" + port + ",dashboardToken=" + TOKEN);
    Http.awaitServing("http://127.0.0.1:" + port + "/", loopback);
    assertThrows(UncheckedIOException.class, () -> Http.get("http://" + outside.getHostAddress() + ":" + port + "/"),
        "not reachable on " + outside.getHostAddress());

    int open = FreePort.pick();
    ChildJvm everywhere = start("dashboard=" + open + ",dashboardHost=0.0.0.0,dashboardToken=" + TOKEN);
    Http.awaitServing("http://127.0.0.1:" + open + "/", everywhere);
    assertEquals(401, Http.get("http://" + outside.getHostAddress() + ":" + open + "/").statusCode(), "reachable, and still behind the token");
  }

  @Test
  void inReadOnlyModeEveryActionIsRefusedAndEveryPageStillAnswers() {
    int port = FreePort.pick();
    ChildJvm app = start("dashboard=" + port + ",dashboardReadOnly=true,dashboardToken=" + TOKEN);
    String base = "http://127.0.0.1:" + port + "/";
    Http.awaitServing(base, app);
    String auth = "Bearer " + TOKEN;
    String session = Http.get(base + "api/session", "Authorization", auth).body();
    assertTrue(session.contains("\"readOnly\":true"), session);
    String csrf = csrfOf(session);
    for (String page : List.of("api/overview", "api/queues", "api/workers", "api/recurring", "api/tasks?state=failed", "metrics", "health")) {
      assertEquals(200, Http.get(base + page, "Authorization", auth).statusCode(), page);
    }
    for (String action : List.of("tasks/1/retry", "tasks/1/run-now", "tasks/1/delete", "tasks/1/cancel", "tasks/bulk", "queues/pause",
        "queues/resume", "recurring/run-now", "recurring/disable", "recurring/enable")) {
      HttpResponse<String> refused = Http.post(base + "api/" + action, "{\"queue\":\"mail\",\"name\":\"x\"}", "Authorization", auth,
          "X-Bgtask-Csrf", csrf);
      assertEquals(403, refused.statusCode(), action);
      assertTrue(refused.body().contains("read-only"), refused.body());
    }
  }

  @Test
  void itLivesUnderItsPathPrefixAndTheMetricsPortNeedsNoToken() {
    int port = FreePort.pick();
    int metrics = FreePort.pick();
    ChildJvm app = start("dashboard=" + port + ",dashboardPath=/ops/tasks,metricsPort=" + metrics + ",dashboardToken=" + TOKEN);
    String base = "http://127.0.0.1:" + port;
    Http.awaitServing(base + "/", app);
    assertEquals(200, Http.get(base + "/ops/tasks/api/session", "Authorization", "Bearer " + TOKEN).statusCode());
    assertEquals(404, Http.get(base + "/api/session", "Authorization", "Bearer " + TOKEN).statusCode());
    HttpResponse<String> page = Http.get(base + "/ops/tasks/", "Authorization", "Bearer " + TOKEN);
    assertTrue(page.body().contains("<base href=\"/ops/tasks/\">"), "the page's links stay under the prefix");
    assertTrue(Http.get(base + "/ops/tasks?token=" + TOKEN).headers().firstValue("Location").orElseThrow().startsWith("/ops/tasks/?"),
        "to the prefix with its trailing slash, where the session cookie belongs");

    Http.awaitServing("http://127.0.0.1:" + metrics + "/metrics", app);
    HttpResponse<String> scraped = Http.get("http://127.0.0.1:" + metrics + "/metrics");
    assertEquals(200, scraped.statusCode());
    assertTrue(scraped.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
    assertTrue(scraped.body().contains("# TYPE bgtask_tasks_waiting gauge"), scraped.body());
    HttpResponse<String> health = Http.get("http://127.0.0.1:" + metrics + "/health");
    assertEquals(200, health.statusCode(), health.body());
    assertTrue(health.body().startsWith("{\"status\":\"UP\""), health.body());
  }

  private ChildJvm start(String agentArguments) {
    ChildJvm jvm = TestDatabase.H2.jvm(directory).named("app-" + jvms.size()).agent(agentArguments + ",workers=1")
        .start("dev.bgtask.e2e.app.TestApp", "serve");
    jvms.add(jvm);
    return jvm;
  }

  private static String csrfOf(String session) {
    Matcher csrf = Pattern.compile("\"csrf\":\"([0-9a-f]+)\"").matcher(session);
    assertTrue(csrf.find(), session);
    return csrf.group(1);
  }

  private static InetAddress nonLoopbackAddress() throws SocketException {
    for (NetworkInterface network : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (network.isUp() && !network.isLoopback()) {
        for (InetAddress address : java.util.Collections.list(network.getInetAddresses())) {
          if (address instanceof Inet4Address) {
            return address;
          }
        }
      }
    }
    throw new AssertionError("this machine has no address but loopback; the test needs one to show the dashboard is not on it");
  }
}
