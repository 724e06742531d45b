package dev.bgtask.runtime.event;

import dev.bgtask.runtime.ApplicationCode;
import dev.bgtask.runtime.FatalErrors;
import dev.bgtask.TaskEvent;
import dev.bgtask.TaskListener;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's task listeners: ServiceLoader ones first, then those added through the facade,
 * each called in that order. User code: whatever one throws, {@code Error}s included (an
 * {@code AssertionError}, say), is logged and goes no further; only a fatal one ({@link FatalErrors})
 * goes on up.
 */
public final class Listeners {

  private static final Logger log = LoggerFactory.getLogger(Listeners.class);

  private final List<TaskListener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean serviceLoaderRead;

  public void add(TaskListener listener) {
    readServiceLoaderOnce();
    listeners.add(listener);
  }

  public void created(TaskEvent task) {
    fire("created", task, listener -> listener.created(task));
  }

  public void started(TaskEvent task) {
    fire("started", task, listener -> listener.started(task));
  }

  public void succeeded(TaskEvent task) {
    fire("succeeded", task, listener -> listener.succeeded(task));
  }

  public void failed(TaskEvent task, String error) {
    fire("failed", task, listener -> listener.failed(task, error));
  }

  public void gaveUp(TaskEvent task, String error) {
    fire("gaveUp", task, listener -> listener.gaveUp(task, error));
  }

  public void finished(TaskEvent task) {
    fire("finished", task, listener -> listener.finished(task));
  }

  private void fire(String event, TaskEvent task, Consumer<TaskListener> call) {
    readServiceLoaderOnce();
    for (TaskListener listener : listeners) {
      try {
        ApplicationCode.call(listener.getClass().getClassLoader(), () -> {
          call.accept(listener);
          return null;
        });
      } catch (Throwable e) {
        if (FatalErrors.isFatal(e)) {
          throw (VirtualMachineError) e;
        }
        log.warn("task listener {} threw from {} for task {} ({}); ignored: {}", listener.getClass().getName(), event,
            task.id(), task.name(), e.toString());
      }
    }
  }

  private void readServiceLoaderOnce() {
    if (serviceLoaderRead) {
      return;
    }
    synchronized (this) {
      if (!serviceLoaderRead) {
        List<TaskListener> found = new java.util.ArrayList<>();
        ServiceLoader.load(TaskListener.class, ClassLoader.getSystemClassLoader()).forEach(found::add);
        listeners.addAll(0, found);
        serviceLoaderRead = true;
      }
    }
  }
}
