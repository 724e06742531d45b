package dev.bgtask.runtime.enqueue;

import dev.bgtask.runtime.store.NewTask;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The de-duplication key of a task: SHA-256 of its name and its arguments' JSON. */
final class PendingKey {

  private PendingKey() {}

  static String of(NewTask task) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(task.getTaskName().getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0);
      sha256.update(task.getArguments().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
