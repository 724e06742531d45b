package dev.bgtask.e2e.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shop in a child JVM (its executable jar, or its classes), with or without the agent. It binds a
 * port the system picks and names it in its log: a port picked here first could be taken by another
 * process before the shop binds it.
 */
final class ShopJvm {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern STARTED_ON_PORT = Pattern.compile("Tomcat started on port\\(?s?\\)?:? (\\d+)");

  private final Process process;
  private final Path out;

  private ShopJvm(Process process, Path out) {
    this.process = process;
    this.out = out;
  }

  /** The java executable the suite runs the shop on: the default JDK, or the newer one named by {@code bgtask.e2e.java}. */
  static String java() {
    return System.getProperty("bgtask.e2e.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** {@code agent}: the agent's arguments, or null for none; {@code classPath}: run the classes instead of the jar. */
  static ShopJvm start(Path directory, String name, String agent, Map<String, String> environment, List<String> properties,
      String classPath) {
    List<String> command = new ArrayList<>(List.of(ShopJvm.java()));
    if (agent != null) {
      command.add("-javaagent:" + System.getProperty("bgtask.e2e.agentJar") + (agent.isEmpty() ? "" : "=" + agent));
    }
    command.add("-De2e.results=" + directory.resolve("results.txt"));
    if (classPath == null) {
      command.addAll(List.of("-jar", System.getProperty("bgtask.e2e.appJar")));
    } else {
      command.addAll(List.of("-cp", classPath, "dev.bgtask.e2e.spring.ShopApplication"));
    }
    command.add("--server.port=0");
    properties.forEach(property -> command.add("--" + property));
    Path out = directory.resolve(name + ".out");
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("BGTASK_"));
    builder.environment().putAll(environment);
    try {
      return new ShopJvm(builder.start(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String output() {
    try {
      return Files.exists(out) ? Files.readString(out) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until Spring Boot says the application started, {@code times} times (a devtools restart starts it again). */
  void awaitStarted(int times) {
    await(() -> output().split("Started ShopApplication", -1).length - 1 >= times || !process.isAlive(), Duration.ofSeconds(90),
        () -> "the shop to start " + times + " time(s): " + output());
    if (!process.isAlive()) {
      throw new AssertionError("the shop exited: " + output());
    }
  }

  HttpResponse<String> post(String pathAndQuery) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + pathAndQuery)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).GET());
  }

  /** The port the shop's latest start bound (a devtools restart binds a new one). */
  private int port() {
    return portIn(output());
  }

  /** The port a Spring Boot application started with {@code --server.port=0} says it bound, last time it started. */
  static int portIn(String output) {
    Matcher started = STARTED_ON_PORT.matcher(output);
    int port = -1;
    while (started.find()) {
      port = Integer.parseInt(started.group(1));
    }
    if (port < 0) {
      throw new AssertionError("the shop has not said which port it bound: " + output);
    }
    return port;
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** SIGTERM, as a service manager stops it; Spring closes its context, the agent its workers. */
  int stop() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the shop did not stop within 60 s: " + output());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return process.exitValue();
  }

  static void await(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what.get());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
