package dev.bgtask.runtime.cli;

import dev.bgtask.runtime.Engine;
import dev.bgtask.runtime.config.Settings;
import dev.bgtask.runtime.logging.AgentLogging;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * django's {@code process_tasks}: runs the application's tasks in a JVM of their own, without the
 * application's {@code main}. {@code java -javaagent:background-task-agent.jar -cp <application>
 * dev.bgtask.agent.ProcessTasks [options]}. SIGTERM or SIGINT stop it gracefully: no more claims,
 * running tasks get {@code shutdownGrace} to finish, the rest are released, exit code 0.
 */
@Command(name = "dev.bgtask.agent.ProcessTasks", mixinStandardHelpOptions = true,
    description = "Runs the application's background tasks until stopped (or for --duration seconds).")
public final class ProcessTasksCommand implements Callable<Integer> {

  @Option(names = "--duration", defaultValue = "0", description = "seconds to run, then stop; 0 = until stopped (default)")
  long durationSeconds;

  @Option(names = "--sleep", description = "seconds an idle worker waits before looking for due tasks (default: the sleep key)")
  Double sleepSeconds;

  @Option(names = "--queue", split = "\\|", description = "only this queue; repeat it or separate with | for several (default: all)")
  List<String> queues;

  @Option(names = "--threads", description = "worker threads (default: the workers key, at least 1)")
  Integer threads;

  @Option(names = "--log-std", description = "the agent's log lines on standard output instead of standard error")
  boolean logStd;

  private final Engine engine;
  private final Settings settings;

  private ProcessTasksCommand(Engine engine, Settings settings) {
    this.engine = engine;
    this.settings = settings;
  }

  public static int run(Engine engine, Settings settings, String[] arguments) {
    return new CommandLine(new ProcessTasksCommand(engine, settings))
        .setOut(new PrintWriter(System.out, true)).setErr(new PrintWriter(System.err, true))
        .execute(arguments);
  }

  @Override
  public Integer call() throws InterruptedException {
    if (logStd) {
      AgentLogging.logToStandardOutput();
    }
    // A signal becomes an orderly exit: the agent's shutdown hook stops the workers gracefully.
    for (String signal : List.of("TERM", "INT")) {
      Signal.handle(new Signal(signal), received -> System.exit(0));
    }
    Duration sleep = sleepSeconds == null ? settings.sleep() : Duration.ofMillis(Math.round(sleepSeconds * 1000));
    int workerThreads = threads != null ? threads : Math.max(1, settings.workers());
    engine.startWorkersForCommand(workerThreads, queues == null ? settings.queues() : List.copyOf(queues), sleep);
    if (durationSeconds > 0) {
      Thread.sleep(durationSeconds * 1000);
    } else {
      Thread.currentThread().join();
    }
    return 0;
  }

  @Override
  public String toString() {
    return "process_tasks " + Arrays.asList(durationSeconds, sleepSeconds, queues, threads, logStd);
  }
}
