package dev.bgtask.e2e.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** What task bodies did, one line each, in the file the test names with -De2e.results. */
public final class Results {

  private Results() {}

  public static synchronized void record(String line) {
    String jvm = System.getProperty("e2e.jvm");
    String entry = line + " | thread=" + Thread.currentThread().getName() + (jvm == null ? "" : " | jvm=" + jvm)
        + " | at=" + System.currentTimeMillis() + "\n";
    try {
      Files.writeString(Path.of(System.getProperty("e2e.results")), entry, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
