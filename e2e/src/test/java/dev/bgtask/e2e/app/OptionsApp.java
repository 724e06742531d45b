package dev.bgtask.e2e.app;

import dev.bgtask.BackgroundTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Scenarios for the BackgroundTasks facade and per-call options. */
public final class OptionsApp {

  private OptionsApp() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "options" -> options();
      case "delayed" -> delayed();
      case "priorities" -> priorities();
      case "queues" -> queues();
      case "now" -> now();
      case "inline" -> inline();
      case "resolver" -> resolver();
      case "dedupe" -> dedupe();
      case "recurring" -> recurring();
      case "slow" -> {
        Doomed.slowReport();
        Doomed.slowExport();
        serve();
      }
      case "pause" -> pauseAndResume();
      case "history" -> {
        Ledger.post(1);
        Ledger.post(2);
        serve();
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  private static void options() {
    Ledger.postInAnHour(5);
    long id = BackgroundTasks.options().in(Duration.ofHours(1)).priority(7).queue("reports").verboseName("Nightly report")
        .creator("user:42").call(() -> Ledger.post(1));
    System.out.println("stored id " + id);
    long at = BackgroundTasks.options().at(Instant.parse("2030-01-01T02:00:00Z")).repeat(dev.bgtask.Repeat.WEEKLY)
        .repeatUntil(Instant.parse("2030-03-01T00:00:00Z")).call(() -> Ledger.post(2));
    System.out.println("stored id " + at);
    refusal("none", () -> BackgroundTasks.options().call(() -> System.out.println("no call")));
    refusal("two", () -> BackgroundTasks.options().call(() -> {
      Ledger.post(3);
      Ledger.post(4);
    }));
  }

  private static void delayed() throws Exception {
    BackgroundTasks.options().in(Duration.ofSeconds(3)).call(() -> Ledger.post(3));
    serve();
  }

  private static void priorities() {
    for (int priority : List.of(1, 5, 3)) {
      BackgroundTasks.options().priority(priority).call(() -> Ledger.post(priority));
    }
    System.out.println("stored");
  }

  private static void queues() {
    BackgroundTasks.options().queue("reports").call(() -> Ledger.post(1));
    BackgroundTasks.options().queue("mail").call(() -> Ledger.post(2));
    System.out.println("stored");
  }

  private static void now() throws Exception {
    Greeter greeter = new Greeter("Hi");
    BackgroundTasks.now(() -> greeter.greet("now"));
    boolean ranAlready = Files.readString(Path.of(System.getProperty("e2e.results"))).contains("greet Hi now");
    System.out.println("body ran before now() returned: " + ranAlready);
    try {
      BackgroundTasks.now(() -> Doomed.importFeed("now.csv"));
    } catch (IllegalStateException e) {
      System.out.println("now() rethrew: " + e.getMessage());
    }
  }

  private static void inline() throws Exception {
    Ledger.post(11);
    boolean ranAlready = Files.readString(Path.of(System.getProperty("e2e.results"))).contains("ledger 11");
    System.out.println("inline call ran before returning: " + ranAlready);
    Graph.Node loop = new Graph.Node("a");
    loop.setNext(loop);
    refusal("cyclic", () -> Graph.walk("loop", loop));
    System.out.println("inline call() returned " + BackgroundTasks.options().priority(3).call(() -> Ledger.post(12)));
  }

  private static void resolver() throws Exception {
    new Greeter("ignored").greet("service");
    serveUntil("greet Hello service");
    BackgroundTasks.useInstanceResolver(type -> new Greeter("Bonjour"));
    new Greeter("ignored").greet("facade");
    serveUntil("greet Bonjour facade");
    System.out.println("resolved both");
  }

  /** Eight threads at once, for each form of de-duplication. */
  private static void dedupe() throws Exception {
    Inventory.recount("sku-1");
    Inventory.recount("sku-2");
    Inventory.recount("sku-1");
    java.util.Set<Long> uniqueIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(8);
    List<Thread> threads = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Thread thread = new Thread(() -> {
        try {
          barrier.await();
          Inventory.recount("sku-3");
          barrier.await();
          uniqueIds.add(BackgroundTasks.options().unique().call(() -> Ledger.post(99)));
        } catch (Exception e) {
          e.printStackTrace();
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    System.out.println("unique ids " + uniqueIds);
    System.out.println("plain id " + BackgroundTasks.options().call(() -> Ledger.post(99)));
  }

  private static void recurring() throws Exception {
    BackgroundTasks.recurring("tick", "* * * * * *", () -> Ledger.post(7));
    refusal("bad cron", () -> BackgroundTasks.recurring("broken", "0 25 * * *", () -> Ledger.post(8)));
    serve();
  }

  /** Started with paused=true. */
  private static void pauseAndResume() throws Exception {
    Ledger.post(1);
    Thread.sleep(1_500);
    System.out.println("ran while paused: " + ranSoFar());
    BackgroundTasks.resume();
    serveUntil("ledger 1");
    BackgroundTasks.pause("mail");
    BackgroundTasks.options().queue("mail").call(() -> Ledger.post(2));
    Ledger.post(3);
    serveUntil("ledger 3");
    Thread.sleep(1_000);
    System.out.println("ran with mail paused: " + ranSoFar());
    BackgroundTasks.resume("mail");
    serveUntil("ledger 2");
    System.out.println("ran after resuming mail: " + ranSoFar());
  }

  private static List<String> ranSoFar() throws Exception {
    Path results = Path.of(System.getProperty("e2e.results"));
    return Files.exists(results) ? Files.readAllLines(results).stream().map(l -> l.substring(0, l.indexOf(" | "))).toList() : List.of();
  }

  private static void refusal(String label, Runnable action) {
    try {
      action.run();
      System.out.println("refused " + label + ": no");
    } catch (IllegalArgumentException e) {
      System.out.println("refused " + label + ": " + e.getMessage());
    }
  }

  private static void serveUntil(String line) throws Exception {
    Path results = Path.of(System.getProperty("e2e.results"));
    long deadline = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < deadline && !(Files.exists(results) && Files.readString(results).contains(line))) {
      Thread.sleep(50);
    }
  }

  private static void serve() throws Exception {
    System.out.println("serving");
    while (System.in.read() != -1) {
      // until the test closes standard input
    }
  }
}
