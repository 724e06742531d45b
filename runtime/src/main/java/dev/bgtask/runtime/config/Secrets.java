package dev.bgtask.runtime.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides passwords in anything the agent prints: a JDBC URL may carry one ({@code ?password=},
 * H2's {@code ;PASSWORD=}, {@code //user:password@host}), and so may a driver's error that quotes it.
 */
public final class Secrets {

  /**
   * {@code password=...} in a query or in H2's settings, up to the next separator; a colon ends it
   * only when a space follows, as where a message goes on after the URL.
   */
  private static final Pattern PASSWORD_SETTING =
      Pattern.compile("(?i)((?:password|passwd|pwd)\\s*=\\s*)([^;&,\\s'\"]+?)(?=[;&,\\s'\"]|:\\s|:$|$)");
  /** The password of {@code scheme://user:password@host}. */
  private static final Pattern USER_INFO = Pattern.compile("(//[^/@:\\s]+:)([^@/\\s]+)(@)");

  private Secrets() {}

  /** {@code text} with every password it carries replaced by {@code ***}. */
  public static String masked(String text) {
    if (text == null) {
      return null;
    }
    String withoutSettings = PASSWORD_SETTING.matcher(text).replaceAll(match -> Matcher.quoteReplacement(match.group(1) + "***"));
    return USER_INFO.matcher(withoutSettings).replaceAll(match -> Matcher.quoteReplacement(match.group(1) + "***" + match.group(3)));
  }
}
