package dev.bgtask.agent.install;

import dev.bgtask.Background;

/**
 * Rewritten once, into bytes that are thrown away, while the agent finishes its start: the first
 * rewrite loads and links most of Byte Buddy, which the first {@code @Background} class of the
 * application (or a worker's first task of a class not loaded yet) would otherwise wait for.
 * Never loaded as a class with a rewritten method, so no task can name it.
 */
final class WarmUpSample {

  private WarmUpSample() {}

  @Background
  static void sample(String text, java.util.List<Integer> numbers) {
    // never runs
  }
}
