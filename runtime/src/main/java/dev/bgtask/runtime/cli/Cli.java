package dev.bgtask.runtime.cli;

import dev.bgtask.runtime.config.Secrets;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The management commands: {@code java -jar background-task-agent.jar <command>}. They work on the
 * task database named by the usual configuration ({@code -Dbgtask.url=...}, {@code BGTASK_URL},
 * or {@code --config file}); the application's classes are not needed.
 */
@Command(name = "background-task-agent.jar", mixinStandardHelpOptions = true, version = "background-task",
    description = "Lists, shows, retries, runs, releases, deletes and purges background tasks; checks their health;"
        + " serves their dashboard.",
    subcommands = {ListCommand.class, ShowCommand.class, RetryCommand.class, RunNowCommand.class, ReleaseCommand.class,
        DeleteCommand.class, PurgeCommand.class, HealthCommand.class, DashboardCommand.class, MigrateCommand.class})
public final class Cli implements Runnable {

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "name a command: list, show, retry, run-now, release, delete, purge, health, dashboard or migrate");
  }

  /** Runs one command line and returns its exit code: 0 done, 1 refused or failed, 2 bad usage. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new Cli()).setOut(out).setErr(err);
    commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
      err.println("background-task: " + Secrets.masked(e.getMessage() == null ? e.toString() : e.getMessage()));
      err.flush();
      return 1;
    });
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }
}
