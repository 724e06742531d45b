package dev.bgtask.bench.throughput;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Markdown table of one run's result lines: a row per workload and database, a column per
 * contender, and how many times better ours is than each (above 1: ours is faster or cheaper).
 */
public final class ResultTable {

  private static final List<String> SYSTEMS = List.of("background-task", "db-scheduler", "JobRunr", "plain JDBC");

  private final List<String> results;

  public ResultTable(List<String> results) {
    this.results = results;
  }

  public String markdown(List<String> databases) {
    StringBuilder table = new StringBuilder("| workload | db | " + String.join(" | ", SYSTEMS)
        + " | ours vs db-scheduler | ours vs JobRunr | ours vs plain JDBC |\n|---|---|---|---|---|---|---|---|---|\n");
    for (String database : databases) {
      throughputRow(table, "enqueue, 1 thread (tasks/s)", database, "\"enqueue\".*\"threads\":1,");
      throughputRow(table, "enqueue, 4 threads (tasks/s)", database, "\"enqueue\".*\"threads\":4,");
      throughputRow(table, "drain, 8 workers (tasks/s)", database, "\"drain\"");
      costRow(table, database);
      latencyRow(table, database, "same-jvm");
      latencyRow(table, database, "same-jvm-back-to-back");
      if (database.equals("postgresql")) {
        latencyRow(table, database, "other-jvm");
      }
    }
    results.stream().filter(line -> line.contains("\"stoppedAfterSeconds\"")).forEach(line -> table.append(String.format(Locale.ROOT,
        "%nThe drain of %s on %s was stopped after %.0f s: %.0f of %.0f tasks had run; its rate is of those.%n",
        text(line, "system"), text(line, "db"), number(line, "stoppedAfterSeconds").orElse(0.0), number(line, "tasks").orElse(0.0),
        number(line, "of").orElse(0.0))));
    table.append("\nplain JDBC's same-JVM enqueue-to-start is its INSERT's commit alone, with nothing woken or run:"
        + " the floor under any enqueue-to-start that waits for a durable row. \"20 ms apart\": each probe meets an idle"
        + " machine; \"one after another\": each is enqueued as soon as the one before has started. JobRunr polls every"
        + " 5 s, so it is measured 20 ms apart only.\n");
    results.stream().filter(line -> line.contains("\"plain-call\"")).findFirst().flatMap(line -> number(line, "nanosPerCall"))
        .ifPresent(nanos -> table.append(String.format(Locale.ROOT, "\nA plain call of the same no-op method, without the agent: %.1f ns.%n", nanos)));
    return table.toString();
  }

  private void throughputRow(StringBuilder table, String label, String database, String workload) {
    List<Optional<Double>> values = SYSTEMS.stream().map(system -> find(workload, system, database)
        .flatMap(line -> number(line, "tasksPerSecond"))).toList();
    row(table, label, database, values, true);
  }

  /** The mean time one call spends in the caller, from the 1-thread enqueue. */
  private void costRow(StringBuilder table, String database) {
    List<Optional<Double>> values = SYSTEMS.stream().map(system -> find("\"enqueue\".*\"threads\":1,", system, database)
        .flatMap(line -> number(line, "tasksPerSecond")).map(perSecond -> 1e6 / perSecond)).toList();
    row(table, "one call in the caller, mean (µs)", database, values, false);
  }

  private void latencyRow(StringBuilder table, String database, String from) {
    table.append("| enqueue-to-start p50 / p95 / p99 (ms), ").append(switch (from) {
      case "same-jvm" -> "same JVM, 20 ms apart";
      case "same-jvm-back-to-back" -> "same JVM, one after another";
      default -> "another JVM, 20 ms apart";
    }).append(" | ").append(database);
    for (String system : SYSTEMS) {
      Optional<String> line = find("\"latency\".*\"from\":\"" + from + "\"", system, database);
      table.append(" | ").append(line.map(l -> format(number(l, "p50ms")) + " / " + format(number(l, "p95ms")) + " / "
          + format(number(l, "p99ms"))).orElse("–"));
    }
    table.append(" | | | |\n");
  }

  private static void row(StringBuilder table, String label, String database, List<Optional<Double>> values,
      boolean higherIsBetter) {
    table.append("| ").append(label).append(" | ").append(database);
    for (Optional<Double> value : values) {
      table.append(" | ").append(value.map(v -> String.format(Locale.ROOT, "%,.0f", v)).orElse("–"));
    }
    for (int other = 1; other < SYSTEMS.size(); other++) {
      Optional<Double> theirs = values.get(other);
      Optional<Double> ratio = values.get(0).flatMap(ours -> theirs.map(t -> higherIsBetter ? ours / t : t / ours));
      table.append(" | ").append(ratio.map(r -> String.format(Locale.ROOT, "%.2f×", r)).orElse("–"));
    }
    table.append(" |\n");
  }

  private Optional<String> find(String workload, String system, String database) {
    return results.stream().filter(line -> line.contains("\"system\":\"" + system + "\"")
        && line.contains("\"db\":\"" + database + "\"") && Pattern.compile(workload).matcher(line).find()).findFirst();
  }

  private static Optional<Double> number(String line, String field) {
    Matcher matcher = Pattern.compile("\"" + field + "\":([0-9.]+)").matcher(line);
    return matcher.find() ? Optional.of(Double.parseDouble(matcher.group(1))) : Optional.empty();
  }

  private static String text(String line, String field) {
    Matcher matcher = Pattern.compile("\"" + field + "\":\"([^\"]*)\"").matcher(line);
    return matcher.find() ? matcher.group(1) : "?";
  }

  private static String format(Optional<Double> millis) {
    return millis.map(m -> String.format(Locale.ROOT, m < 10 ? "%.2f" : "%,.0f", m)).orElse("–");
  }
}
