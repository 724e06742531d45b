package dev.bgtask.e2e.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the command-line tools of the servers the tests start themselves. PostgreSQL and pgbouncer
 * refuse to run as root, so their commands run as the {@code postgres} user, through {@code setpriv},
 * which executes the program itself (no intermediate process to forward signals).
 */
final class ServerProcess {

  private ServerProcess() {}

  /** A directory under /tmp that the {@code postgres} user owns. */
  static Path directoryForPostgresUser(String prefix) {
    try {
      Path directory = Files.createTempDirectory(prefix);
      run(List.of("chown", "postgres:postgres", directory.toString()));
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> asPostgresUser(String... command) {
    List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
    full.addAll(List.of(command));
    return full;
  }

  /** Runs a command to its end and returns its output; an exit other than 0 and {@code allowedExits} fails the test. */
  static String run(List<String> command, int... allowedExits) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      int exit = process.waitFor();
      if (exit != 0 && java.util.Arrays.stream(allowedExits).noneMatch(allowed -> allowed == exit)) {
        assertEquals(0, exit, String.join(" ", command) + ":\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
