package dev.bgtask.bench.throughput;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
import org.jobrunr.utils.mapper.JsonMapper;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * JobRunr's side of the {@link Workloads}: jobs enqueued as lambdas, a background job server with
 * 8 workers and the shortest poll interval JobRunr accepts (5 s), a 10-connection pool like ours.
 */
public final class JobRunrWorkloads extends Workloads {

  private static final Duration SHORTEST_POLL_INTERVAL = Duration.ofSeconds(5);

  private final JsonMapper json = new JacksonJsonMapper();
  private StorageProvider storage;
  private JobScheduler scheduler;

  public static void main(String[] args) throws Exception {
    new JobRunrWorkloads().run(args);
  }

  @Override
  String system() {
    return "JobRunr";
  }

  @Override
  void connect(String url, String user) {
    HikariDataSource dataSource = BenchDataSource.pool(url, user);
    storage = SqlStorageProviderFactory.using(dataSource);
    scheduler = JobRunr.configure().useJsonMapper(json).useStorageProvider(storage).initialize().getJobScheduler();
  }

  @Override
  void enqueueNoOp(int number) {
    scheduler.enqueue(() -> JobRunrJobs.noOp(number));
  }

  @Override
  void enqueueProbe(long enqueuedAtMicros) {
    scheduler.enqueue(() -> JobRunrJobs.probe(enqueuedAtMicros));
  }

  @Override
  void startWorkers() {
    new BackgroundJobServer(storage, json, null, BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
        .andWorkerCount(8).andPollInterval(SHORTEST_POLL_INTERVAL)).start();
  }
}
