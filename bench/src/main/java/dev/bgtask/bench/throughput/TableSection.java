package dev.bgtask.bench.throughput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Replaces a section of a document (docs/benchmarks.md), between its two markers
 * ({@code <!-- name:start -->} and {@code <!-- name:end -->}), with one run's table, date, machine and command.
 */
public final class TableSection {

  private TableSection() {}

  public static void write(Path document, String table, String command) throws IOException {
    write(document, "throughput-table", table, command);
  }

  public static void write(Path document, String name, String table, String command) throws IOException {
    String start = "<!-- " + name + ":start -->";
    String end = "<!-- " + name + ":end -->";
    String text = Files.readString(document);
    int from = text.indexOf(start);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException(document + " has no " + start + " ... " + end + " section to replace");
    }
    String section = start + "\nMeasured " + LocalDate.now(ZoneOffset.UTC) + " on " + machine() + ", with\n`" + command + "`:\n\n"
        + table + "\n";
    Files.writeString(document, text.substring(0, from) + section + text.substring(to));
  }

  static String machine() throws IOException {
    String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
        .findFirst().map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown CPU");
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), Java " + System.getProperty("java.version")
        + ", the database servers and the JVMs on the same machine";
  }
}
