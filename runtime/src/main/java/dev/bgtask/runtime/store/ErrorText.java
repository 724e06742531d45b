package dev.bgtask.runtime.store;

/**
 * What an error text becomes before it is stored as a task's {@code last_error}: every database
 * takes it. PostgreSQL refuses U+0000 in text, and a stack trace of a deep recursion can run to
 * megabytes; the first lines are the ones anyone reads.
 */
public final class ErrorText {

  /** Characters kept of one error text. */
  static final int MAX_LENGTH = 32_000;

  private ErrorText() {}

  public static String storable(String text) {
    if (text == null) {
      return null;
    }
    String clean = text.indexOf('\u0000') < 0 ? text : text.replace("\u0000", "\\u0000");
    if (clean.length() <= MAX_LENGTH) {
      return clean;
    }
    String cut = clean.substring(0, MAX_LENGTH);
    if (Character.isHighSurrogate(cut.charAt(cut.length() - 1))) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut + "\n... (" + (clean.length() - cut.length()) + " more characters)";
  }
}
