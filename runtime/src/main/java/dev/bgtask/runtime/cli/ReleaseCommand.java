package dev.bgtask.runtime.cli;

import dev.bgtask.runtime.config.Settings;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "release", description = "Puts a running task whose worker is gone back in the queue, its attempt counted;"
    + " a task whose worker still sends heartbeats is left alone.")
final class ReleaseCommand implements Runnable {

  @Mixin
  TaskDatabaseOptions options;

  @Parameters(paramLabel = "ID")
  long id;

  @Override
  public void run() {
    Settings settings = options.settings();
    options.changeOne(id, admin -> admin.release(id, settings.workerTimeout()), "released",
        "no running task " + id + " whose worker is gone (a worker is alive while its heartbeat is under "
            + settings.workerTimeout().toSeconds() + " s old)", "task " + id + " is queued again");
  }
}
