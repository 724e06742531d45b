package dev.bgtask.e2e.app;

import dev.bgtask.Background;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tasks a free worker of the calling JVM starts at once, to show what their bodies are handed: the
 * caller keeps the objects it passed, so the test can tell the call's own from a copy.
 */
public final class Tagger {

  static List<String> passedTags;
  static String passedLabel;
  /** Opened once the caller has changed the list it passed. */
  static final CountDownLatch callerChangedTheList = new CountDownLatch(1);

  private Tagger() {}

  @Background
  public static void tag(long id, List<String> tags) throws InterruptedException {
    callerChangedTheList.await(10, TimeUnit.SECONDS);
    Results.record("tag " + id + " " + tags + " " + (tags == passedTags ? "same list" : "a copy"));
  }

  @Background
  public static void note(long id, Integer count, String label, char mark, double ratio, boolean flag, String none) {
    Results.record("note " + id + " " + count + " " + label + " " + mark + " " + ratio + " " + flag + " " + none
        + " " + (label == passedLabel ? "same string" : "a copy"));
  }
}
