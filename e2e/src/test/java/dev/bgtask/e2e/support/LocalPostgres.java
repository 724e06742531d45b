package dev.bgtask.e2e.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The machine's PostgreSQL cluster, stopped and started as an outage would, with {@code pg_ctlcluster}. */
public final class LocalPostgres {

  private LocalPostgres() {}

  public static void stop() {
    run("stop", "-m", "fast");
  }

  /** Starts the cluster unless it runs already. */
  public static void start() {
    run("start");
  }

  public static void restart() {
    run("restart", "-m", "fast");
  }

  private static void run(String... action) {
    try {
      String version = new String(new ProcessBuilder("ls", "/etc/postgresql").start().getInputStream().readAllBytes()).trim()
          .split("\\s+")[0];
      java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("pg_ctlcluster", "--skip-systemctl-redirect",
          version, "main"));
      command.addAll(java.util.List.of(action));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      int exit = process.waitFor();
      if (!(action[0].equals("start") && output.contains("already running"))) {
        assertEquals(0, exit, String.join(" ", command) + ": " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
