package dev.bgtask.demo;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

/**
 * A shop's main thread signs up customers, takes an order and asks for a report; everything slow
 * is a {@code @Background} call that returns at once, and the agent's workers do the work.
 */
public final class DemoApp {

  private DemoApp() {}

  public static void main(String[] args) throws Exception {
    System.out.println("background-task demo: a shop whose slow work runs in the background.");
    System.out.println("Tasks are stored in ./background-tasks.mv.db (the embedded H2 default).");
    System.out.println();

    Progress.note("main: storing 5 tasks");
    long start = System.nanoTime();
    WelcomeMailer mailer = new WelcomeMailer();
    mailer.sendWelcome(new Customer("Ada", "ada@example.com"));
    long first = System.nanoTime();
    mailer.sendWelcome(new Customer("Grace", "grace@example.com"));
    mailer.sendWelcome(new Customer("Linus", "linus@example.com"));
    SalesReport.compile(LocalDate.of(2026, 11, 23), List.of(
        new Sale("tea-earl-grey", 3, new BigDecimal("4.50")), new Sale("cup-blue", 2, new BigDecimal("12.00"))));
    PaymentGateway.charge("A-1001", new BigDecimal("37.50"));
    long end = System.nanoTime();
    Progress.note(String.format("main: stored; the first call took %.0f ms (warming up), the other four %.1f ms each."
        + " The workers take it from here.", (first - start) / 1e6, (end - first) / 4e6));

    boolean allDone = Progress.awaitAll(Duration.ofSeconds(45));
    System.out.println();
    if (allDone) {
      System.out.printf("Done in %.1f s: 3 e-mails, 1 report, 1 payment that succeeded on its retry.%n", Progress.elapsedSeconds());
      System.out.println("Finished tasks are kept in the bgtask_completed_task table (history=7d by default).");
    } else {
      System.out.println("Not everything finished within 45 s; the rest stays stored and runs at the next start.");
    }
  }
}
