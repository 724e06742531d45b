package dev.bgtask.bench.throughput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Replaces the throughput section of a document (docs/benchmarks.md), between its two markers, with one run's table, date, machine and command. */
public final class TableSection {

  static final String START = "<!-- throughput-table:start -->";
  static final String END = "<!-- throughput-table:end -->";

  private TableSection() {}

  public static void write(Path document, String table, String command) throws IOException {
    String text = Files.readString(document);
    int start = text.indexOf(START);
    int end = text.indexOf(END);
    if (start < 0 || end < start) {
      throw new IllegalArgumentException(document + " has no " + START + " ... " + END + " section to replace");
    }
    String section = START + "\nMeasured " + LocalDate.now(ZoneOffset.UTC) + " on " + machine() + ", with\n`" + command + "`:\n\n"
        + table + "\n";
    Files.writeString(document, text.substring(0, start) + section + text.substring(end));
  }

  static String machine() throws IOException {
    String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
        .findFirst().map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown CPU");
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), Java " + System.getProperty("java.version")
        + ", PostgreSQL and the JVMs on the same machine";
  }
}
