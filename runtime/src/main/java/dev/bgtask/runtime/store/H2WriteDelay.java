package dev.bgtask.runtime.store;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * H2 keeps a commit in memory for up to {@code WRITE_DELAY} milliseconds (500 unless the URL says
 * otherwise) before it writes it to the database file, so a JVM that is killed or halts in that
 * window loses commits whose calls had already returned: stored tasks, claims, outcomes. The
 * agent therefore opens every embedded H2 file with {@code WRITE_DELAY=0}, which makes each commit
 * reach the file before it returns. The operating system then keeps it whatever happens to the
 * process; only a crash of the machine itself can still lose it, since H2 does not fsync commits.
 * A URL that sets {@code WRITE_DELAY} itself keeps its value.
 */
final class H2WriteDelay {

  private static final Pattern SETTING = Pattern.compile(";\\s*WRITE_DELAY\\s*=\\s*([^;]*)", Pattern.CASE_INSENSITIVE);

  private H2WriteDelay() {}

  /** The URL with {@code WRITE_DELAY=0} added, when it names an H2 file and sets no write delay of its own. */
  static String immediate(String url) {
    if (H2OpenLock.databaseFile(url).isEmpty() || SETTING.matcher(url).find()) {
      return url;
    }
    String base = url.endsWith(";") ? url.substring(0, url.length() - 1) : url;
    return base + ";WRITE_DELAY=0";
  }

  /** The write delay an H2 file URL sets itself, in milliseconds. */
  static OptionalInt configured(String url) {
    if (H2OpenLock.databaseFile(url).isEmpty()) {
      return OptionalInt.empty();
    }
    Matcher setting = SETTING.matcher(url);
    if (!setting.find()) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(setting.group(1).trim()));
    } catch (NumberFormatException malformed) {
      return OptionalInt.empty(); // H2 itself refuses it when the database opens
    }
  }

  /** A warning for a URL that lets H2 hold commits in memory, or null when it does not. */
  static String warningFor(String url) {
    OptionalInt delay = configured(url);
    if (delay.isEmpty() || delay.getAsInt() <= 0) {
      return null;
    }
    return "the H2 URL sets WRITE_DELAY=" + delay.getAsInt() + ": tasks stored, claimed or finished in the last "
        + delay.getAsInt() + " ms before this JVM is killed or halts are lost; leave WRITE_DELAY out to keep them";
  }
}
