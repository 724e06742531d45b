package dev.bgtask.bench.startup;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the agent costs an application that starts: whole-JVM wall time of a hello-world, and the
 * time to load a few thousand classes that have no {@code @Background} method, each with and
 * without the agent. Child JVMs of the three set-ups take turns, round after round, so machine
 * noise spreads over all of them; medians are reported.
 */
public final class StartupBenchmark {

  /** Long enough for the agent's background start (schema, MyBatis, Jackson, Byte Buddy) to finish. */
  private static final long SETTLE_MILLIS = 2_000;

  private final Path agentJar;
  private final int runs;
  private final Path benchJar;
  private final Path libraries;

  public StartupBenchmark(Path agentJar, int runs) throws Exception {
    if (!Files.isRegularFile(agentJar)) {
      throw new IllegalArgumentException("no agent jar at " + agentJar + "; build it with mvn -DskipTests package");
    }
    this.agentJar = agentJar;
    this.runs = runs;
    this.benchJar = Path.of(StartupBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    this.libraries = benchJar.getParent().resolve("lib");
  }

  private record Setup(String name, List<String> agentOptions) {}

  public void run(PrintStream out) throws Exception {
    List<Setup> setups = List.of(
        new Setup("no agent", List.of()),
        new Setup("agent, workers=0", List.of("-javaagent:" + agentJar + "=workers=0")),
        new Setup("agent, 4 workers (default)", List.of("-javaagent:" + agentJar)));
    List<String> jars = classLoadingJars();
    Map<Setup, Path> directories = new LinkedHashMap<>();
    for (Setup setup : setups) {
      directories.put(setup, Files.createTempDirectory("bgtask-bench-startup"));
    }
    Map<String, List<Double>> samples = new LinkedHashMap<>();
    for (int round = 0; round <= runs; round++) {
      boolean warmUp = round == 0;
      for (Setup setup : setups) {
        double helloMillis = wallMillis(setup, directories.get(setup), List.of(HelloApp.class.getName()));
        ChildResult atStart = loadClasses(setup, directories.get(setup), jars, 0);
        ChildResult settled = loadClasses(setup, directories.get(setup), jars, SETTLE_MILLIS);
        if (!warmUp) {
          samples.computeIfAbsent("hello-world JVM start to exit|" + setup.name(), k -> new ArrayList<>()).add(helloMillis);
          samples.computeIfAbsent("load " + atStart.loadedClasses() + " classes (no @Background) right at start|" + setup.name(),
              k -> new ArrayList<>()).add(atStart.loadMillis());
          samples.computeIfAbsent("load " + settled.loadedClasses() + " classes (no @Background) once the agent has started|"
              + setup.name(), k -> new ArrayList<>()).add(settled.loadMillis());
        }
      }
    }
    report(out, samples);
  }

  private ChildResult loadClasses(Setup setup, Path directory, List<String> jars, long settleMillis) throws Exception {
    List<String> command = new ArrayList<>(List.of(ClassLoadingApp.class.getName(), Long.toString(settleMillis)));
    command.addAll(jars);
    return runChild(setup, directory, command);
  }

  private List<String> classLoadingJars() throws IOException {
    try (Stream<Path> files = Files.list(libraries)) {
      List<String> jars = files.map(Path::toString)
          .filter(name -> name.contains("jackson-databind") || name.contains("jackson-core") || name.contains("h2-"))
          .sorted().toList();
      if (jars.size() != 3) {
        throw new IllegalStateException("expected jackson-databind, jackson-core and h2 in " + libraries + ", found " + jars);
      }
      return jars;
    }
  }

  private double wallMillis(Setup setup, Path directory, List<String> mainAndArguments) throws Exception {
    long start = System.nanoTime();
    runChild(setup, directory, mainAndArguments);
    return (System.nanoTime() - start) / 1e6;
  }

  private record ChildResult(long loadedClasses, double loadMillis) {}

  private ChildResult runChild(Setup setup, Path directory, List<String> mainAndArguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(setup.agentOptions());
    command.addAll(List.of("-cp", benchJar.toString()));
    command.addAll(mainAndArguments);
    Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException("benchmark JVM failed (" + setup.name() + "): " + output);
    }
    for (String line : output.split("\n")) {
      if (line.startsWith("loaded ")) {
        String[] words = line.split(" ");
        return new ChildResult(Long.parseLong(words[1]), Long.parseLong(words[4]) / 1000.0);
      }
    }
    return new ChildResult(0, 0);
  }

  private void report(PrintStream out, Map<String, List<Double>> samples) {
    StringBuilder table = new StringBuilder("| measurement | set-up | median ms | min ms | max ms |\n| --- | --- | ---: | ---: | ---: |\n");
    Map<String, Double> baseline = new LinkedHashMap<>();
    for (Map.Entry<String, List<Double>> entry : samples.entrySet()) {
      String[] key = entry.getKey().split("\\|");
      List<Double> sorted = entry.getValue().stream().sorted().toList();
      double median = sorted.get(sorted.size() / 2);
      baseline.putIfAbsent(key[0], median);
      double ratio = median / baseline.get(key[0]);
      out.printf(Locale.ROOT, "{\"benchmark\":\"startup\",\"measurement\":\"%s\",\"setup\":\"%s\",\"runs\":%d,"
              + "\"median_ms\":%.1f,\"min_ms\":%.1f,\"max_ms\":%.1f,\"ratio_to_no_agent\":%.2f}%n",
          key[0], key[1], sorted.size(), median, sorted.get(0), sorted.get(sorted.size() - 1), ratio);
      table.append(String.format(Locale.ROOT, "| %s | %s | %.0f (x%.2f) | %.0f | %.0f |%n",
          key[0], key[1], median, ratio, sorted.get(0), sorted.get(sorted.size() - 1)));
    }
    out.println();
    out.print(table);
  }
}
