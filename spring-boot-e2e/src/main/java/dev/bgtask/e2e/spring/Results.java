package dev.bgtask.e2e.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Where the shop's tasks and transactions say what happened, one line each, with the thread and the time. */
@Component
public class Results {

  private final Path file;

  public Results(@Value("${shop.results}") String file) {
    this.file = Path.of(file);
  }

  public synchronized void record(String line) {
    String entry = line + " | thread=" + Thread.currentThread().getName() + " | at=" + System.currentTimeMillis() + "\n";
    try {
      Files.writeString(file, entry, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
