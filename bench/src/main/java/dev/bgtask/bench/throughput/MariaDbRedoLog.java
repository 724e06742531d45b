package dev.bgtask.bench.throughput;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Gives MariaDB's redo log, for the length of a run, the gigabyte of log PostgreSQL keeps between
 * checkpoints by default ({@code max_wal_size}); a server already configured larger is left alone.
 * MariaDB's own default is 96 MB, which a drain fills within seconds: InnoDB then holds every
 * write until enough pages are flushed, and the drain pauses whether or not anything else runs.
 * Closing puts the server's size back.
 */
final class MariaDbRedoLog implements AutoCloseable {

  static final long POSTGRES_MAX_WAL_SIZE = 1L << 30;

  private final long configured;

  private MariaDbRedoLog(long configured) {
    this.configured = configured;
  }

  static MariaDbRedoLog sizedLikePostgres(PrintStream out) throws SQLException {
    long configured = size();
    if (configured < POSTGRES_MAX_WAL_SIZE) {
      resize(POSTGRES_MAX_WAL_SIZE);
      out.printf(Locale.ROOT, "mariadb: innodb_log_file_size %d MB for this run (PostgreSQL's max_wal_size), %d MB again after%n",
          POSTGRES_MAX_WAL_SIZE >> 20, configured >> 20);
    }
    return new MariaDbRedoLog(configured);
  }

  static long size() throws SQLException {
    try (Connection connection = Scratch.connectToServer("mariadb"); Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT @@GLOBAL.innodb_log_file_size")) {
      result.next();
      return result.getLong(1);
    }
  }

  private static void resize(long bytes) throws SQLException {
    try (Connection connection = Scratch.connectToServer("mariadb"); Statement statement = connection.createStatement()) {
      statement.execute("SET GLOBAL innodb_log_file_size = " + bytes);
    }
  }

  @Override
  public void close() throws SQLException {
    if (size() != configured) {
      resize(configured);
    }
  }
}
