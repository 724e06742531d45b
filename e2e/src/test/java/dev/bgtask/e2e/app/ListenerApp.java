package dev.bgtask.e2e.app;

import dev.bgtask.BackgroundTasks;
import dev.bgtask.TaskEvent;
import dev.bgtask.TaskListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Registers a listener that records every event, and one that throws from succeeded. */
public final class ListenerApp {

  private ListenerApp() {}

  static final class Recording implements TaskListener {
    private static synchronized void record(String line) {
      try {
        Files.writeString(Path.of(System.getProperty("e2e.results") + ".events"), line + "\n",
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static String describe(TaskEvent task) {
      return task.name() + " #" + task.id() + " attempt " + task.attempt() + "/" + task.maxAttempts() + " queue '" + task.queue() + "'";
    }

    @Override
    public void created(TaskEvent task) {
      record("created " + describe(task) + " on " + Thread.currentThread().getName());
    }

    @Override
    public void started(TaskEvent task) {
      record("started " + describe(task));
    }

    @Override
    public void succeeded(TaskEvent task) {
      record("succeeded " + describe(task));
    }

    @Override
    public void failed(TaskEvent task, String error) {
      record("failed " + describe(task) + ": " + error.lines().findFirst().orElse(""));
    }

    @Override
    public void gaveUp(TaskEvent task, String error) {
      record("gaveUp " + describe(task));
    }

    @Override
    public void finished(TaskEvent task) {
      record("finished " + describe(task));
    }
  }

  public static void main(String[] args) throws Exception {
    BackgroundTasks.addListener(new TaskListener() {
      @Override
      public void succeeded(TaskEvent task) {
        throw new IllegalStateException("listener bug");
      }
    });
    BackgroundTasks.addListener(new Recording());
    Ledger.post(1);
    Doomed.importOnce("bad.csv");
    System.out.println("serving");
    while (System.in.read() != -1) {
      // until the test closes standard input
    }
  }
}
