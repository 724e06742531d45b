package dev.bgtask.e2e.app;

import dev.bgtask.Background;

/** Loaded by {@link LateAttachApp} before it attaches the agent, so its method cannot be rewritten. */
public final class LoadedEarly {

  private LoadedEarly() {}

  @Background
  public static void note(int entry) {
    Results.record("loaded early " + entry);
  }
}
