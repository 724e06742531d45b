package dev.bgtask.runtime.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may see the dashboard and act on it. Every request needs the token: as a bearer token, as
 * the cookie the dashboard sets when it is opened with {@code ?token=}, or in that query itself.
 * An action also needs the CSRF value the page reads from the session (a page of another site can
 * neither read it nor send it), and is refused outright in read-only mode.
 */
final class DashboardAccess {

  static final String COOKIE = "bgtask_dashboard";
  static final String CSRF_HEADER = "X-Bgtask-Csrf";

  private final byte[] token;
  private final String csrf;
  private final boolean readOnly;
  private final String path;

  DashboardAccess(String token, boolean readOnly, String path) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.csrf = hmac(token, "csrf");
    this.readOnly = readOnly;
    this.path = path;
  }

  /** A token nobody can guess: 192 random bits. */
  static String newToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  boolean readOnly() {
    return readOnly;
  }

  String csrf() {
    return csrf;
  }

  /** The token came with the request, in any of the three ways. */
  boolean allows(HttpExchange exchange) {
    return matches(bearer(exchange)) || matches(cookie(exchange)) || matches(queryToken(exchange));
  }

  /** The token came in the URL: the page sets the cookie and sends the browser to the same page without it. */
  boolean cameInQuery(HttpExchange exchange) {
    return matches(queryToken(exchange));
  }

  String sessionCookie() {
    return COOKIE + "=" + new String(token, StandardCharsets.UTF_8) + "; Path=" + path + "; HttpOnly; SameSite=Strict";
  }

  /** Why an action is refused, or null when it may go ahead. */
  String refusalOfAction(HttpExchange exchange) {
    if (readOnly) {
      return "the dashboard is read-only (dashboardReadOnly=true)";
    }
    String site = exchange.getRequestHeaders().getFirst("Sec-Fetch-Site");
    if (site != null && site.equals("cross-site")) {
      return "actions are refused from other sites";
    }
    String sent = exchange.getRequestHeaders().getFirst(CSRF_HEADER);
    if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), csrf.getBytes(StandardCharsets.UTF_8))) {
      return "an action needs the " + CSRF_HEADER + " header the dashboard's page sends";
    }
    return null;
  }

  private boolean matches(String candidate) {
    return candidate != null && MessageDigest.isEqual(candidate.getBytes(StandardCharsets.UTF_8), token);
  }

  private static String bearer(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
  }

  private static String cookie(HttpExchange exchange) {
    List<String> headers = exchange.getRequestHeaders().getOrDefault("Cookie", List.of());
    for (String header : headers) {
      for (String pair : header.split(";")) {
        String trimmed = pair.trim();
        if (trimmed.startsWith(COOKIE + "=")) {
          return trimmed.substring(COOKIE.length() + 1);
        }
      }
    }
    return null;
  }

  private static String queryToken(HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("token=")) {
        return URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static String hmac(String key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }
}
