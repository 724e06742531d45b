package dev.bgtask.e2e.app;

import dev.bgtask.Background;

public final class Ledger {

  private Ledger() {}

  @Background
  public static void post(int entry) {
    Results.record("ledger " + entry);
  }

  /** Like {@link #post} but takes 20 ms, so several JVMs have time to share a backlog. */
  @Background
  public static void postSlowly(int entry) throws InterruptedException {
    Thread.sleep(20);
    Results.record("ledger " + entry);
  }

  /** Due an hour after the call. */
  @Background(schedule = 3600)
  public static void postInAnHour(int entry) {
    Results.record("ledger later " + entry);
  }
}
