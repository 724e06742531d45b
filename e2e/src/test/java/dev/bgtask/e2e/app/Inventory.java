package dev.bgtask.e2e.app;

import dev.bgtask.Background;

public final class Inventory {

  private Inventory() {}

  /** Recounting twice is pointless: a new request replaces a waiting one. */
  @Background(removeExistingTasks = true)
  public static void recount(String sku) {
    Results.record("recount " + sku);
  }
}
