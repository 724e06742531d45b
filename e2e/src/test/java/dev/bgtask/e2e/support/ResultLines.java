package dev.bgtask.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The lines task bodies wrote through {@code Results.record}. */
public final class ResultLines {

  private final Path file;

  public ResultLines(Path directory) {
    this.file = directory.resolve("results.txt");
  }

  public List<String> all() {
    try {
      return Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<String> startingWith(String prefix) {
    return all().stream().filter(line -> line.startsWith(prefix)).toList();
  }

  /** The text a body recorded, without the thread and time suffixes. */
  public static String what(String line) {
    return line.substring(0, line.indexOf(" | "));
  }

  public static String thread(String line) {
    int start = line.indexOf("thread=") + "thread=".length();
    return line.substring(start, line.indexOf(" | ", start));
  }

  /** The JVM that wrote the line (its -De2e.jvm), or "" when it had none. */
  public static String jvm(String line) {
    int start = line.indexOf("jvm=");
    return start < 0 ? "" : line.substring(start + "jvm=".length(), line.indexOf(" | ", start));
  }

  public static long at(String line) {
    return Long.parseLong(line.substring(line.indexOf("at=") + 3).trim());
  }
}
