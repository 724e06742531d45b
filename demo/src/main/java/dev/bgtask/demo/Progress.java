package dev.bgtask.demo;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The demo's own bookkeeping: task bodies report here so main knows when to print its summary. */
final class Progress {

  private static final CountDownLatch remaining = new CountDownLatch(5);
  private static final long started = System.nanoTime(); // first touched at the top of main

  private Progress() {}

  static void done(String what) {
    System.out.printf("  %5.1f s  %-58s [%s]%n", (System.nanoTime() - started) / 1e9, what, Thread.currentThread().getName());
    remaining.countDown();
  }

  static void note(String what) {
    System.out.printf("  %5.1f s  %s%n", (System.nanoTime() - started) / 1e9, what);
  }

  static boolean awaitAll(Duration timeout) throws InterruptedException {
    return remaining.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  static double elapsedSeconds() {
    return (System.nanoTime() - started) / 1e9;
  }
}
