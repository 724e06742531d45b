package dev.bgtask.bench;

import dev.bgtask.bench.startup.StartupBenchmark;
import java.nio.file.Path;
import java.util.Arrays;

/** {@code java -jar bench/target/background-task-bench.jar startup [--runs N] [--agent path]} */
public final class BenchMain {

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !args[0].equals("startup")) {
      System.err.println("usage: java -jar background-task-bench.jar startup [--runs N] [--agent path/to/background-task-agent.jar]");
      System.exit(2);
    }
    int runs = 9;
    Path agent = Path.of("agent/target/background-task-agent.jar");
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--agent" -> agent = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " in " + Arrays.toString(args));
      }
    }
    new StartupBenchmark(agent.toAbsolutePath(), runs).run(System.out);
  }
}
