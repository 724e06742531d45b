package dev.bgtask.e2e.app;

import dev.bgtask.BackgroundTasks;
import java.io.IOException;
import java.time.Duration;

/**
 * The application of the operations tests. "populate" stores a task in each state (its workers
 * take the queues slow and imports, another JVM mail; nobody takes parked) and a recurring schedule, then
 * serves; "store-mail N" stores one task for the mail queue and exits; "workload" runs five
 * tasks that succeed and one that fails for good, then serves.
 */
public final class OperationsApp {

  private OperationsApp() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "populate" -> {
        populate();
        serve();
      }
      case "store-mail" -> {
        int entry = Integer.parseInt(args[1]);
        BackgroundTasks.options().queue("mail").call(() -> Ledger.post(entry));
        System.out.println("stored " + entry);
      }
      case "workload" -> {
        for (int i = 0; i < 5; i++) {
          Ledger.post(i);
        }
        Doomed.importOnce("broken.csv");
        System.out.println("stored the workload");
        serve();
      }
      case "hold" -> {
        Stamped.hold("held", 600);
        serve();
      }
      default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
    }
  }

  private static void populate() {
    for (int i = 0; i < 3; i++) {
      int entry = 100 + i;
      BackgroundTasks.options().queue("parked").call(() -> Ledger.post(entry));
    }
    BackgroundTasks.options().in(Duration.ofHours(1)).queue("mail").call(() -> Ledger.post(200));
    BackgroundTasks.options().queue("slow").call(() -> Stamped.hold("cancel-me", 600));
    Doomed.importOnce("broken.csv");
    for (int i = 0; i < 5; i++) {
      int entry = 300 + i;
      BackgroundTasks.options().queue("mail").call(() -> Ledger.post(entry));
    }
    BackgroundTasks.recurring("nightly-report", "0 2 * * *", () -> Ledger.post(999));
    System.out.println("populated");
  }

  private static void serve() throws IOException {
    System.out.println("serving");
    while (System.in.read() != -1) {
      // until the test closes standard input
    }
  }
}
