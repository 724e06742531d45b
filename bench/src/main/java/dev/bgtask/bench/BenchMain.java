package dev.bgtask.bench;

import dev.bgtask.bench.dashboard.DashboardBenchmark;
import dev.bgtask.bench.startup.StartupBenchmark;
import dev.bgtask.bench.throughput.TableSection;
import dev.bgtask.bench.throughput.ResultTable;
import dev.bgtask.bench.throughput.TableSizeBenchmark;
import dev.bgtask.bench.throughput.ThroughputBenchmark;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar bench/target/background-task-bench.jar startup [--runs N] [--agent path]}, or
 * {@code ... throughput [--tasks N] [--db h2,postgresql,mariadb] [--agent path] [--doc docs/benchmarks.md]} (with
 * {@code --doc} the run's table replaces the one in that file), or {@code ... dashboard
 * [--db postgresql,mariadb,h2] [--finished N] [--waiting N] [--requests N] [--drains N] [--tasks N] [--only pages|drain]},
 * or {@code ... table-size [--db postgresql,mariadb] [--rows 10000,1000000] [--future N] [--history N] [--backlog N] [--purge-runs N] [--doc file]}.
 */
public final class BenchMain {

  private static final String USAGE = "usage: java -jar background-task-bench.jar startup [--runs N] [--agent path/to/background-task-agent.jar]\n"
      + "       java -jar background-task-bench.jar throughput [--tasks N] [--db h2,postgresql,mariadb] [--agent path/to/background-task-agent.jar]"
      + " [--doc docs/benchmarks.md]\n"
      + "       java -jar background-task-bench.jar dashboard [--db postgresql,mariadb,h2] [--finished 1000000] [--waiting 100000]"
      + " [--requests 30] [--drains 3] [--tasks 100000] [--only pages|drain] [--agent path/to/background-task-agent.jar]\n"
      + "       java -jar background-task-bench.jar table-size [--db postgresql,mariadb] [--rows 10000,1000000] [--future 1000000]"
      + " [--history 1000000] [--backlog 200000] [--purge-runs 1] [--doc docs/benchmarks.md] [--agent path/to/background-task-agent.jar]";

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !List.of("startup", "throughput", "dashboard", "table-size").contains(args[0])) {
      System.err.println(USAGE);
      System.exit(2);
    }
    int runs = 9;
    int tasks = 20_000;
    List<String> databases = List.of("h2", "postgresql", "mariadb");
    Path agent = Path.of("agent/target/background-task-agent.jar");
    Path document = null;
    int finished = 1_000_000;
    int waiting = 100_000;
    int requests = 30;
    int drains = 3;
    String only = "";
    List<Integer> rows = List.of(10_000, 1_000_000);
    int future = 1_000_000;
    int history = 1_000_000;
    int backlog = 200_000;
    int purgeRuns = 1;
    if (args[0].equals("table-size")) {
      databases = List.of("postgresql", "mariadb");
    }
    if (args[0].equals("dashboard")) {
      databases = List.of("postgresql", "mariadb", "h2");
      tasks = 100_000; // a drain of several seconds, so the dashboard is read several times during it
    }
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--finished" -> finished = Integer.parseInt(args[++i]);
        case "--waiting" -> waiting = Integer.parseInt(args[++i]);
        case "--requests" -> requests = Integer.parseInt(args[++i]);
        case "--drains" -> drains = Integer.parseInt(args[++i]);
        case "--only" -> only = args[++i];
        case "--rows" -> rows = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
        case "--future" -> future = Integer.parseInt(args[++i]);
        case "--history" -> history = Integer.parseInt(args[++i]);
        case "--backlog" -> backlog = Integer.parseInt(args[++i]);
        case "--purge-runs" -> purgeRuns = Integer.parseInt(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--tasks" -> tasks = Integer.parseInt(args[++i]);
        case "--db" -> databases = List.of(args[++i].split(","));
        case "--agent" -> agent = Path.of(args[++i]);
        case "--doc" -> document = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " in " + Arrays.toString(args) + "\n" + USAGE);
      }
    }
    if (args[0].equals("table-size")) {
      List<String> results = new TableSizeBenchmark(agent.toAbsolutePath()).run(databases, rows, future, history, backlog, purgeRuns,
          System.out);
      String table = TableSizeBenchmark.markdown(results);
      System.out.println();
      System.out.println(table);
      if (document != null) {
        TableSection.write(document, "table-size-table", table, "java -jar bench/target/background-task-bench.jar " + String.join(" ", args));
      }
    } else if (args[0].equals("dashboard")) {
      DashboardBenchmark benchmark = new DashboardBenchmark(agent.toAbsolutePath(), finished, waiting, requests, drains);
      benchmark.run(databases, tasks, !only.equals("drain"), !only.equals("pages"), System.out);
    } else if (args[0].equals("startup")) {
      new StartupBenchmark(agent.toAbsolutePath(), runs).run(System.out);
    } else {
      List<String> results = new ThroughputBenchmark(agent.toAbsolutePath(), tasks, databases).run(System.out);
      String table = new ResultTable(results).markdown(databases);
      System.out.println();
      System.out.println(table);
      if (document != null) {
        TableSection.write(document, table, "java -jar bench/target/background-task-bench.jar " + String.join(" ", args));
      }
    }
  }
}
