package dev.bgtask.bench.throughput;

import com.zaxxer.hikari.HikariDataSource;

/** The connection pool the other contenders get: HikariCP with 10 connections, as background-task's default. */
final class BenchDataSource {

  private BenchDataSource() {}

  static HikariDataSource pool(String url, String user) {
    HikariDataSource dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(url);
    dataSource.setUsername(user);
    dataSource.setPassword("");
    dataSource.setMaximumPoolSize(10);
    return dataSource;
  }
}
