package dev.bgtask.agent.install;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.Background;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class AnnotationPrefilterTest {

  static final class WithTask {
    @Background
    static void run() {}
  }

  static final class WithoutTask {
    static void run() {}
  }

  @Test
  void classWithABackgroundMethodIsHandedOn() throws IOException {
    assertTrue(AnnotationPrefilter.mentionsBackground(bytesOf(WithTask.class)));
  }

  @Test
  void otherClassesAreLetThroughUnparsed() throws IOException {
    assertFalse(AnnotationPrefilter.mentionsBackground(bytesOf(WithoutTask.class)));
    assertFalse(AnnotationPrefilter.mentionsBackground(bytesOf(String.class)));
    assertFalse(AnnotationPrefilter.mentionsBackground(new byte[0]));
  }

  private static byte[] bytesOf(Class<?> type) throws IOException {
    try (InputStream in = ClassLoader.getSystemResourceAsStream(type.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }
}
