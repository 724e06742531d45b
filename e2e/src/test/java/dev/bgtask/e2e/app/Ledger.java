package dev.bgtask.e2e.app;

import dev.bgtask.Background;

public final class Ledger {

  private Ledger() {}

  @Background
  public static void post(int entry) {
    Results.record("ledger " + entry);
  }
}
