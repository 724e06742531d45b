package dev.bgtask.bench.throughput;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Gives MariaDB, for the length of a run, what PostgreSQL has by default on the same machine;
 * settings a server already has larger are left alone, and closing puts the server's own back.
 * <ul>
 *   <li>A redo log of 1 GB, the log PostgreSQL keeps between checkpoints ({@code max_wal_size}).
 *   MariaDB's own 96 MB fills within seconds of a drain: InnoDB then holds every write until enough
 *   pages are flushed, and the drain pauses whether or not anything else runs.
 *   <li>A buffer pool of 2 GB. PostgreSQL reads through the operating system's page cache, which
 *   here holds gigabytes; InnoDB opens its files with {@code O_DIRECT}, so its buffer pool, 128 MB
 *   by default, is all the cache it has. Purged through 128 MB, millions of history rows keep InnoDB
 *   reading and writing out pages beside the drain's claims, and the drain pauses longer.
 * </ul>
 */
final class MariaDbSizing implements AutoCloseable {

  /** A global variable MariaDB changes at run time, the least size a run gives it, and where that size comes from. */
  record Size(String variable, long bytes, String likePostgres) {}

  static final Size REDO_LOG = new Size("innodb_log_file_size", 1L << 30, "PostgreSQL's max_wal_size");
  static final Size BUFFER_POOL = new Size("innodb_buffer_pool_size", 2L << 30, "PostgreSQL reads through the OS page cache");
  static final List<Size> SIZES = List.of(REDO_LOG, BUFFER_POOL);

  /** The server's own size of each variable looked at so far. */
  private final Map<Size, Long> configured = new LinkedHashMap<>();

  private MariaDbSizing() {}

  static MariaDbSizing likePostgres(PrintStream out) throws SQLException {
    MariaDbSizing sizing = new MariaDbSizing();
    try {
      for (Size size : SIZES) {
        sizing.give(size, out);
      }
    } catch (SQLException | RuntimeException e) {
      // what was already given goes back before the run fails
      try {
        sizing.close();
      } catch (SQLException notPutBack) {
        e.addSuppressed(notPutBack);
      }
      throw e;
    }
    return sizing;
  }

  private void give(Size size, PrintStream out) throws SQLException {
    long own = current(size);
    configured.put(size, own);
    if (own < size.bytes()) {
      resize(size, size.bytes());
      out.printf(Locale.ROOT, "mariadb: %s %d MB for this run (%s), %d MB again after%n", size.variable(), size.bytes() >> 20,
          size.likePostgres(), own >> 20);
    }
  }

  static long current(Size size) throws SQLException {
    try (Connection connection = Scratch.connectToServer("mariadb"); Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT @@GLOBAL." + size.variable())) {
      result.next();
      return result.getLong(1);
    }
  }

  private static void resize(Size size, long bytes) throws SQLException {
    try (Connection connection = Scratch.connectToServer("mariadb"); Statement statement = connection.createStatement()) {
      statement.execute("SET GLOBAL " + size.variable() + " = " + bytes);
    }
  }

  @Override
  public void close() throws SQLException {
    for (Map.Entry<Size, Long> own : configured.entrySet()) {
      if (current(own.getKey()) != own.getValue()) {
        resize(own.getKey(), own.getValue());
      }
    }
  }
}
