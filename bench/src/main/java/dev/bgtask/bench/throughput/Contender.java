package dev.bgtask.bench.throughput;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A queue the harness measures, and how to start one of its {@link Workloads} JVMs. */
enum Contender {

  BACKGROUND_TASK("background-task", OurWorkloads.class),
  DB_SCHEDULER("db-scheduler", DbSchedulerWorkloads.class),
  JOBRUNR("JobRunr", JobRunrWorkloads.class),
  PLAIN_JDBC("plain JDBC", JdbcReferenceWorkloads.class);

  /** What a child JVM is for: it decides our agent's options (the others start workers on demand). */
  enum Role { STORE, DRAIN, DRAIN_KEEPING_HISTORY, RUN_HERE, SERVE_OTHERS }

  final String label;
  private final Class<?> main;

  Contender(String label, Class<?> main) {
    this.label = label;
    this.main = main;
  }

  /**
   * JobRunr starts a job at its next poll, 5 s apart at best: 300 probes one after another would
   * take over ten minutes, so it is measured only with probes 20 ms apart.
   */
  boolean startsPromptly() {
    return this != JOBRUNR;
  }

  /** The reference has no wake-up, so no worker in another JVM hears of its rows. */
  boolean measuresLatencyFromAnotherJvm() {
    return this != PLAIN_JDBC;
  }

  List<String> command(Path java, Path agentJar, Path benchJar, Scratch scratch, Role role) {
    return command(java, agentJar, benchJar, scratch, role, "");
  }

  /** {@code extraAgentOptions}: more of our agent's options ({@code ,key=value...}), for our JVMs only. */
  List<String> command(Path java, Path agentJar, Path benchJar, Scratch scratch, Role role, String extraAgentOptions) {
    List<String> command = new ArrayList<>(List.of(java.toString()));
    if (this == BACKGROUND_TASK) {
      command.add("-javaagent:" + agentJar + "=" + agentOptions(role) + scratch.agentUrl() + extraAgentOptions);
    }
    command.addAll(List.of("-Dbench.url=" + scratch.peerUrl(), "-Dbench.user=" + scratch.user(),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", benchJar.toString(), main.getName()));
    return command;
  }

  private static String agentOptions(Role role) {
    return switch (role) {
      case STORE -> "workers=0";
      case DRAIN -> "workers=8,paused=true,history=off";
      case DRAIN_KEEPING_HISTORY -> "workers=8,paused=true";
      case RUN_HERE -> "workers=8,history=off";
      case SERVE_OTHERS -> "workers=8,history=off,sleep=5s";
    };
  }
}
