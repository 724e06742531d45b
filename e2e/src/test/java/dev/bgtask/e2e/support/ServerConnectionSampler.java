package dev.bgtask.e2e.support;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Samples twice a second the client backends a PostgreSQL runs for one database, leaving out the
 * test's own connections. A connection the pooler closes can still be listed, as a backend on its
 * way out, beside the one that replaces it; so besides the most seen at once, it keeps the most
 * that lasted from one sample to the next, which is what a pool holds.
 */
public final class ServerConnectionSampler implements AutoCloseable {

  private final TaskTables server;
  private final String database;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private List<Map<String, Object>> previous = List.of();
  private List<Map<String, Object>> mostAtOnce = List.of();
  private int mostLasting;
  private RuntimeException failure;

  private ServerConnectionSampler(TaskTables server, String database) {
    this.server = server;
    this.database = database;
  }

  /** Starts sampling {@code database} through {@code server}, a connection of the test's own. */
  public static ServerConnectionSampler start(TaskTables server, String database) {
    ServerConnectionSampler sampler = new ServerConnectionSampler(server, database);
    sampler.timer.scheduleAtFixedRate(sampler::sample, 0, 500, TimeUnit.MILLISECONDS);
    return sampler;
  }

  private synchronized void sample() {
    try {
      sampleNow();
    } catch (RuntimeException | AssertionError e) {
      failure = new IllegalStateException("sampling the server's connections failed", e);
      throw e;
    }
  }

  private void sampleNow() {
    List<Map<String, Object>> now = server.rows("SELECT pid, application_name, state, backend_start, LEFT(query, 60) AS query"
        + " FROM pg_stat_activity WHERE datname = '" + database + "' AND backend_type = 'client backend'"
        + " AND application_name <> '" + ScratchPostgres.TEST_APPLICATION_NAME + "'");
    if (now.size() > mostAtOnce.size()) {
      mostAtOnce = now;
    }
    Set<Object> lasting = pids(previous);
    lasting.retainAll(pids(now));
    mostLasting = Math.max(mostLasting, lasting.size());
    previous = now;
  }

  private static Set<Object> pids(List<Map<String, Object>> backends) {
    return backends.stream().map(backend -> backend.get("pid")).collect(Collectors.toCollection(HashSet::new));
  }

  public synchronized int mostAtOnce() {
    throwIfFailed();
    return mostAtOnce.size();
  }

  public synchronized int mostLasting() {
    throwIfFailed();
    return mostLasting;
  }

  /** The backends of the sample that held the most, for a failure's message. */
  public synchronized String describeMostAtOnce() {
    return mostAtOnce.stream().map(Object::toString).collect(Collectors.joining("\n"));
  }

  private void throwIfFailed() {
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
