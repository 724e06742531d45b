package dev.bgtask.agent.install;

import java.nio.charset.StandardCharsets;

/**
 * A class with an {@code @Background} method always holds the constant
 * {@code Ldev/bgtask/Background;}. One scan of the bytes for it lets nearly every other class
 * through without being parsed.
 */
final class AnnotationPrefilter {

  private static final byte[] DESCRIPTOR = "Ldev/bgtask/Background;".getBytes(StandardCharsets.US_ASCII);

  private AnnotationPrefilter() {}

  static boolean mentionsBackground(byte[] bytes) {
    byte first = DESCRIPTOR[0];
    int last = bytes.length - DESCRIPTOR.length;
    outer:
    for (int i = 0; i <= last; i++) {
      if (bytes[i] != first) {
        continue;
      }
      for (int j = 1; j < DESCRIPTOR.length; j++) {
        if (bytes[i + j] != DESCRIPTOR[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
