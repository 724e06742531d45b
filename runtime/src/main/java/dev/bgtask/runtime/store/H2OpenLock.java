package dev.bgtask.runtime.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;

/**
 * Lets one process at a time open an embedded H2 file. With {@code AUTO_SERVER}, the first
 * process to open the file serves it to the others; when two open it at the same moment H2's own
 * lock-file protocol can leave both believing they own it, and tasks then run twice. An OS file
 * lock beside the database, held until this process has the database open, makes the second
 * process wait and then join the first one's server.
 */
final class H2OpenLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private H2OpenLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Empty for URLs that are not an H2 file (memory, TCP), which need no such lock. */
  static Optional<H2OpenLock> acquire(String url) {
    Optional<Path> file = databaseFile(url);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    Path lockFile = file.get().resolveSibling(file.get().getFileName() + ".bgtask-open.lock");
    try {
      Files.createDirectories(lockFile.toAbsolutePath().getParent());
      FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      return Optional.of(new H2OpenLock(channel, channel.lock()));
    } catch (IOException e) {
      // Without the lock H2's own protocol still applies; the open itself will report a real problem.
      return Optional.empty();
    }
  }

  static Optional<Path> databaseFile(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    String rest;
    if (lower.startsWith("jdbc:h2:file:")) {
      rest = url.substring("jdbc:h2:file:".length());
    } else if (lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:h2:mem:") && !lower.startsWith("jdbc:h2:tcp:")
        && !lower.startsWith("jdbc:h2:ssl:") && !lower.matches("jdbc:h2:[a-z]+:.*")) {
      rest = url.substring("jdbc:h2:".length());
    } else {
      return Optional.empty();
    }
    int semicolon = rest.indexOf(';');
    String path = semicolon < 0 ? rest : rest.substring(0, semicolon);
    if (path.startsWith("~")) {
      path = System.getProperty("user.home") + path.substring(1);
    }
    return Optional.of(Path.of(path));
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // closing the channel releases the lock in any case
    }
  }
}
