package dev.bgtask.e2e.app;

import dev.bgtask.Background;

public final class Doomed {

  private Doomed() {}

  @Background(maxAttempts = 2)
  public static void importFeed(String feed) {
    Results.record("doomed " + feed + " attempt");
    throw new IllegalStateException("feed " + feed + " is malformed");
  }

  @Background(maxAttempts = 1, queue = "imports")
  public static void importOnce(String feed) {
    Results.record("doomed " + feed + " attempt");
    throw new IllegalStateException("feed " + feed + " is malformed");
  }
}
