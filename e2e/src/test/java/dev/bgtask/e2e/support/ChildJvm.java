package dev.bgtask.e2e.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real JVM started with the packaged agent, its output captured to files in the test's directory. */
public final class ChildJvm {

  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private ChildJvm(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  public static Builder in(Path directory) {
    return new Builder(directory);
  }

  /** The java executable the suite runs its child JVMs on (the default JDK or the newer one). */
  public static String java() {
    return System.getProperty("bgtask.e2e.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  public static String agentJar() {
    return Path.of(System.getProperty("bgtask.e2e.agentJar")).toAbsolutePath().normalize().toString();
  }

  public static final class Builder {
    private final Path directory;
    private final List<String> jvmOptions = new ArrayList<>();
    private String agentArguments = "";
    private boolean withAgent = true;
    private final Map<String, String> environment = new java.util.HashMap<>();
    private String name = "jvm";
    private String classpath = System.getProperty("bgtask.e2e.appClasspath");

    private Builder(Path directory) {
      this.directory = directory;
    }

    public Builder agent(String arguments) {
      this.agentArguments = arguments;
      return this;
    }

    public Builder withoutAgent() {
      this.withAgent = false;
      return this;
    }

    public Builder jvmOption(String option) {
      jvmOptions.add(option);
      return this;
    }

    public Builder environment(String key, String value) {
      environment.put(key, value);
      return this;
    }

    /**
     * Runs the JVM with its clocks moved by {@code shift} (libfaketime, from Debian's
     * {@code faketime} package, which scripts/test.sh installs). The monotonic clock moves with the
     * wall clock, so the durations it measures stay right: with it left alone, libfaketime makes
     * the JVM's timed waits return at once.
     */
    public Builder clockShiftedBy(java.time.Duration shift) {
      Path library = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1");
      if (!Files.exists(library)) {
        throw new AssertionError(library + " is missing: install Debian's faketime package (scripts/test.sh does)");
      }
      environment.put("LD_PRELOAD", library.toString());
      environment.put("FAKETIME", (shift.isNegative() ? "-" : "+") + shift.abs().toSeconds() + "s");
      return this;
    }

    /** Runs the application on another class path than the test applications' usual one. */
    public Builder classpath(String classpath) {
      this.classpath = classpath;
      return this;
    }

    /** Names the output files, when one test starts several JVMs in one directory. */
    public Builder named(String name) {
      this.name = name;
      return this;
    }

    public ChildJvm start(String mainClass, String... arguments) {
      List<String> command = new ArrayList<>();
      command.add(java());
      if (withAgent) {
        command.add("-javaagent:" + agentJar() + (agentArguments.isEmpty() ? "" : "=" + agentArguments));
      }
      command.add("-De2e.results=" + directory.resolve("results.txt"));
      command.addAll(jvmOptions);
      command.add("-cp");
      command.add(classpath);
      command.add(mainClass);
      command.addAll(List.of(arguments));
      return launch(command);
    }

    private ChildJvm launch(List<String> command) {
      Path out = directory.resolve(name + ".out");
      Path err = directory.resolve(name + ".err");
      ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().keySet().removeIf(key -> key.startsWith("BGTASK_"));
      builder.environment().putAll(environment);
      try {
        return new ChildJvm(builder.start(), out, err);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Runs {@code java -jar jar} with no -javaagent flag, and waits for it to exit. */
    public ChildJvm runJar(Path jar, String... arguments) {
      ChildJvm jvm = startJar(jar, arguments);
      jvm.awaitExit(Duration.ofSeconds(90));
      return jvm;
    }

    /** Starts {@code java -jar jar} with no -javaagent flag: the jar's own manifest says what runs. */
    public ChildJvm startJar(Path jar, String... arguments) {
      List<String> command = new ArrayList<>(List.of(java()));
      command.addAll(jvmOptions);
      command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
      command.addAll(List.of(arguments));
      return launch(command);
    }

    /** Starts, waits for the JVM to exit by itself, and returns its exit code. */
    public ChildJvm run(String mainClass, String... arguments) {
      ChildJvm jvm = start(mainClass, arguments);
      jvm.awaitExit(Duration.ofSeconds(60));
      return jvm;
    }
  }

  public String stdout() {
    return read(stdout);
  }

  public String stderr() {
    return read(stderr);
  }

  /** Lines on standard error: the agent's (the JVM itself prints none with the agent). */
  public List<String> agentErrorLines() {
    return stderr().lines().toList();
  }

  public void awaitOutput(String text, Duration timeout) {
    Waiting.until(() -> stdout().contains(text) || !process.isAlive(), timeout, () -> "'" + text + "' on stdout; " + describe());
    if (!stdout().contains(text)) {
      throw new AssertionError("the JVM exited before writing '" + text + "'; " + describe());
    }
  }

  /**
   * Waits for the agent's start line: from then on the child JVM holds the embedded database open
   * and serves it to the test. Polling before that would make the test's JVM the file's owner.
   */
  public void awaitAgentStarted() {
    Waiting.until(() -> stderr().contains("[bgtask] INFO  background-task") || !process.isAlive(), Duration.ofSeconds(30),
        () -> "the agent's start line; " + describe());
    if (!stderr().contains("[bgtask] INFO  background-task")) {
      throw new AssertionError("the JVM exited before the agent started; " + describe());
    }
  }

  /** Closes standard input, which the test applications take as "stop", and waits for the exit. */
  public int stop() {
    try {
      OutputStream in = process.getOutputStream();
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return awaitExit(Duration.ofSeconds(30));
  }

  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the JVM did not exit within " + timeout + "; " + describe());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return process.exitValue();
  }

  public int exitCode() {
    return process.exitValue();
  }

  public void kill() {
    process.destroyForcibly();
  }

  /** SIGSTOP: the whole JVM stands still, as in a long GC pause or a suspended VM, until {@link #resume}. */
  public void pause() {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause}. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
      if (kill.waitFor() != 0) {
        throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** SIGTERM, as a service manager would send. */
  public boolean isAlive() {
    return process.isAlive();
  }

  public void terminate() {
    process.destroy();
  }

  public String describe() {
    return "stdout:\n" + stdout() + "\nstderr:\n" + stderr();
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
