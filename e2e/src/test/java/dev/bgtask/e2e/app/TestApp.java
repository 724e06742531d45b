package dev.bgtask.e2e.app;

import java.io.IOException;
import java.util.List;

/**
 * The application the end-to-end tests start with the agent. The first argument picks what it
 * does; "serve" scenarios keep the JVM (and its workers) up until the test closes standard input.
 */
public final class TestApp {

  private TestApp() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "basics" -> basics();
      case "store" -> store(Integer.parseInt(args[1]));
      case "store-slow" -> storeSlow(Integer.parseInt(args[1]));
      case "store-steadily" -> storeSteadily(Integer.parseInt(args[1]));
      case "serve" -> serve();
      case "unserialisable" -> unserialisable();
      case "non-void" -> nonVoid();
      case "hang-once" -> {
        Crashy.hangOnce("k1");
        serve();
      }
      case "slow" -> {
        Crashy.slow(Integer.parseInt(args[1]));
        serve();
      }
      case "store-slow-task" -> {
        Crashy.slow(Integer.parseInt(args[1]));
        System.out.println("stored");
      }
      case "cli-setup" -> {
        Ledger.post(1);
        Doomed.importOnce("x");
        dev.bgtask.BackgroundTasks.options().in(java.time.Duration.ofHours(1)).queue("later").call(() -> Ledger.post(2));
        java.nio.file.Path results = java.nio.file.Path.of(System.getProperty("e2e.results"));
        for (int i = 0; i < 300 && !(java.nio.file.Files.exists(results) && java.nio.file.Files.readAllLines(results).size() == 2); i++) {
          Thread.sleep(100);
        }
        Thread.sleep(500);
      }
      case "halt" -> {
        Crashy.halt();
        serve();
      }
      case "store-one" -> Ledger.post(Integer.parseInt(args[1])); // and exit at once
      case "hold-once" -> {
        Stamped.holdOnce(args[1], Integer.parseInt(args[2]));
        serve();
      }
      case "store-long" -> {
        for (int i = 0; i < Integer.parseInt(args[1]); i++) {
          Stamped.hold("long-" + i, Integer.parseInt(args[2]));
        }
      }
      case "store-timed" -> {
        for (int i = 0; i < 5; i++) {
          Thread.sleep(300);
          System.out.println("enqueuing " + i + " at " + System.currentTimeMillis());
          Ledger.post(i);
        }
      }
      case "transactional" -> transactional(args[1], args[2]);
      case "local-start" -> localStart();
      case "nothing" -> System.out.println("main ran on java " + Runtime.version().feature());
      default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
    }
  }

  private static void basics() throws Exception {
    Ledger.post(7);
    new Shop().sendWelcome("ada@example.com");
    new Shop().pack(42L, List.of(new OrderLine("tea", 2), new OrderLine("cup", 1)));
    Flaky.syncInvoice("inv-1");
    Doomed.importFeed("prices.csv");
    System.out.println("enqueued, main thread " + Thread.currentThread().getName());
    serve();
  }

  /** Two calls a free worker of this JVM starts at once; the caller changes the list it passed right after. */
  private static void localStart() throws Exception {
    dev.bgtask.BackgroundTasks.pause("e2e-unused-queue"); // returns once the workers run
    Tagger.passedTags = new java.util.ArrayList<>(List.of("red", "blue"));
    Tagger.tag(1L, Tagger.passedTags);
    Tagger.passedTags.clear();
    Tagger.passedTags.add("changed by the caller");
    Tagger.callerChangedTheList.countDown();
    Tagger.passedLabel = new String("crème brûlée ✓");
    Tagger.note(2L, 3, Tagger.passedLabel, 'x', 0.1, true, null);
    serve();
  }

  private static void store(int count) {
    for (int i = 0; i < count; i++) {
      Ledger.post(i);
    }
    System.out.println("stored " + count);
  }

  private static void storeSlow(int count) throws InterruptedException {
    for (int i = 0; i < count; i++) {
      Ledger.postSlowly(i);
    }
    System.out.println("stored " + count);
  }

  /**
   * Stores tasks one by one, going on past calls that fail (the database is away), and prints which
   * calls returned: those are acknowledged, and must run.
   */
  private static void storeSteadily(int count) throws InterruptedException {
    for (int i = 0; i < count; i++) {
      try {
        Ledger.postSlowly(i);
        System.out.println("acked " + i);
      } catch (dev.bgtask.EnqueueException e) {
        System.out.println("refused " + i + ": " + e.getMessage());
      }
      Thread.sleep(2);
    }
    System.out.println("stored " + count);
  }

  private static void unserialisable() {
    Graph.Node loop = new Graph.Node("a");
    loop.setNext(loop);
    try {
      Graph.walk("loop", loop);
      System.out.println("stored a cyclic argument?!");
    } catch (IllegalArgumentException e) {
      System.out.println("refused: " + e.getMessage());
    }
    try {
      Graph.walk("thread", null);
      System.out.println("stored null");
    } catch (RuntimeException e) {
      System.out.println("refused null?! " + e);
    }
  }

  private static void nonVoid() {
    try {
      Graph.countNodes(new Graph.Node("a"));
      System.out.println("ran a non-void @Background method?!");
    } catch (IllegalStateException e) {
      System.out.println("refused: " + e.getMessage());
    }
  }

  /**
   * Stores through the application's own connection: one task rolled back, one committed only
   * after three seconds, long enough for a polling worker to have run it had it been visible.
   */
  private static void transactional(String url, String user) throws Exception {
    try (java.sql.Connection connection = java.sql.DriverManager.getConnection(url, user, "")) {
      connection.setAutoCommit(false);
      dev.bgtask.BackgroundTasks.inTransaction(connection, () -> Ledger.post(1));
      connection.rollback();
      System.out.println("rolled back");
      dev.bgtask.BackgroundTasks.inTransaction(connection,
          () -> dev.bgtask.BackgroundTasks.options().priority(3).call(() -> Ledger.post(2)));
      Thread.sleep(3_000);
      System.out.println("committing at " + System.currentTimeMillis());
      connection.commit();
      if (!url.startsWith("jdbc:h2:")) {
        try (java.sql.Connection elsewhere = java.sql.DriverManager.getConnection("jdbc:h2:mem:elsewhere")) {
          dev.bgtask.BackgroundTasks.inTransaction(elsewhere, () -> Ledger.post(3));
          System.out.println("stored through a connection to another kind of database?!");
        } catch (IllegalArgumentException e) {
          System.out.println("refused: " + e.getMessage());
        }
      }
    }
    serve();
  }

  /** Keeps the JVM up until standard input closes: the test decides when the workers are done. */
  private static void serve() throws IOException {
    // The JVM's own clock, for the tests that shift it.
    System.out.println("serving, clock " + System.currentTimeMillis());
    while (System.in.read() != -1) {
      // wait
    }
    System.out.println("stopping");
  }
}
