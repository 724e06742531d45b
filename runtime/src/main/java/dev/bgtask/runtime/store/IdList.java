package dev.bgtask.runtime.store;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Row ids written into a statement as the text of an {@code IN (...)} list ({@code ${ids}} in a
 * mapper). MyBatis builds a {@code <foreach>} by compiling a regular expression per item, which
 * made the statements over hundreds of claimed rows cost more than running them; ids are numbers,
 * so their text is safe to inline.
 */
final class IdList {

  private final String text;

  private IdList(String text) {
    this.text = text;
  }

  /** {@code ids} must not be empty: {@code IN ()} is not SQL. */
  static IdList of(Collection<Long> ids) {
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("an empty id list");
    }
    return new IdList(ids.stream().map(String::valueOf).collect(Collectors.joining(",")));
  }

  @Override
  public String toString() {
    return text;
  }
}
