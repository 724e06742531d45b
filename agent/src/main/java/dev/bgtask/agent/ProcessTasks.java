package dev.bgtask.agent;

import dev.bgtask.internal.TaskBridge;

/**
 * The worker command (django's {@code process_tasks}):
 * {@code java -javaagent:background-task-agent.jar -cp <application> dev.bgtask.agent.ProcessTasks --help}.
 * The agent, started by {@code -javaagent}, sees this main class and leaves its workers to it.
 */
public final class ProcessTasks {

  private ProcessTasks() {}

  public static void main(String[] arguments) {
    System.exit(TaskBridge.sink().runWorkerCommand(arguments));
  }
}
