package dev.bgtask.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.util.Map;
import java.util.jar.JarFile;

/**
 * Entry point for {@code -javaagent}, for attaching, and for {@code Launcher-Agent-Class}.
 *
 * <p>Only JDK classes are used here. The order matters: the application-facing API is put in the
 * boot loader (so every rewritten class can reach {@code dev.bgtask.internal.TaskBridge};
 * {@link BootstrapClasses}) before anything touches it, and the runtime is reached only through the private {@link AgentClassLoader}.
 * A start-up that cannot succeed stops the JVM with one line: a silently missing agent would turn
 * every {@code @Background} call into a synchronous one.
 */
public final class AgentMain {

  private static final String INSTALLER = "dev.bgtask.agent.install.AgentInstaller";
  private static final String CLI = "dev.bgtask.runtime.cli.Cli";
  private static volatile boolean started;

  private AgentMain() {}

  public static void premain(String arguments, Instrumentation instrumentation) {
    start(arguments, instrumentation, false);
  }

  public static void agentmain(String arguments, Instrumentation instrumentation) {
    start(arguments, instrumentation, true);
  }

  /** {@code java -jar background-task-agent.jar <command>}: the management commands, run from the hidden part. */
  public static void main(String[] arguments) throws Exception {
    if (arguments.length == 0) {
      System.out.println("background-task agent: start your application with");
      System.out.println("  java -javaagent:" + jarPath() + "[=key=value,...] -jar your-app.jar");
      System.out.println("Manage tasks with: java -jar " + jarPath() + " --help");
      return;
    }
    File jarFile = new File(jarPath());
    // No application here to hide from; the API classes come from this jar on the class path.
    ClassLoader loader = new AgentClassLoader(new JarFile(jarFile), jarFile.toURI().toURL(), ClassLoader.getSystemClassLoader());
    Thread.currentThread().setContextClassLoader(loader);
    Class.forName(CLI, true, loader).getMethod("main", String[].class).invoke(null, (Object) arguments);
  }

  private static synchronized void start(String arguments, Instrumentation instrumentation, boolean lateAttach) {
    if (started) {
      return;
    }
    started = true;
    try {
      Map<String, String> options = AgentArguments.parse(arguments);
      File jarFile = new File(jarPath());
      JarFile jar = new JarFile(jarFile);
      if (jar.getEntry("inst/" + INSTALLER.replace('.', '/') + ".classdata") == null) {
        throw new IllegalStateException(jarFile + " holds the agent's entry point but not the packaged agent;"
            + " is a copy of the background-task-agent module's plain jar on the class path? Use background-task-agent.jar");
      }
      BootstrapClasses.install(jar, instrumentation);
      ClassLoader agentLoader = new AgentClassLoader(jar, jarFile.toURI().toURL(), ClassLoader.getPlatformClassLoader());
      Class.forName(INSTALLER, true, agentLoader)
          .getMethod("install", Instrumentation.class, Map.class, boolean.class)
          .invoke(null, instrumentation, options, lateAttach);
    } catch (InvocationTargetException e) {
      stopJvm(e.getCause());
    } catch (Exception | LinkageError e) {
      stopJvm(e);
    }
  }

  private static String jarPath() {
    try {
      URL location = AgentMain.class.getProtectionDomain().getCodeSource().getLocation();
      return new File(location.toURI()).getPath();
    } catch (Exception e) {
      return "background-task-agent.jar";
    }
  }

  /** Only for failures before the runtime is reachable; the runtime reports its own through StartupFailure. */
  private static void stopJvm(Throwable reason) {
    String message = reason.getMessage() == null ? reason.toString() : reason.getMessage();
    // The runtime is out of reach here, and with it its Secrets: a password in an argument is masked the same way.
    message = message.replaceAll("(?i)((?:password|passwd|pwd)\\s*=\\s*)[^;&,\\s'\"]+", "$1***");
    System.err.println("background-task: " + message.replaceAll("\\s*\\R\\s*", " ")
        + " - the JVM stops because the agent cannot start");
    System.exit(1);
  }
}
