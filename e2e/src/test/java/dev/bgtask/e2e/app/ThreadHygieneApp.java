package dev.bgtask.e2e.app;

import dev.bgtask.BackgroundTasks;
import dev.bgtask.TaskEvent;
import dev.bgtask.TaskListener;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.TreeMap;

/**
 * An application whose main thread carries a context loader of its own (as a web application's
 * request thread does) and an inheritable thread-local, and which makes the calls that start the
 * agent's lazy threads. It prints what its resolver and listeners saw as their context loaders, and
 * what context loader each of the agent's threads holds afterwards.
 */
public final class ThreadHygieneApp {

  static final InheritableThreadLocal<String> REQUEST = new InheritableThreadLocal<>();

  private ThreadHygieneApp() {}

  public static void main(String[] args) throws Exception {
    ClassLoader webApp = new URLClassLoader("web-app", new URL[0], ThreadHygieneApp.class.getClassLoader());
    Thread.currentThread().setContextClassLoader(webApp);
    REQUEST.set("request-of-the-main-thread");
    BackgroundTasks.useInstanceResolver(type -> {
      System.out.println("resolver context loader " + name(Thread.currentThread().getContextClassLoader()));
      return type.getDeclaredConstructor().newInstance();
    });
    BackgroundTasks.addListener(new TaskListener() {
      @Override
      public void started(TaskEvent task) {
        System.out.println("listener context loader " + name(Thread.currentThread().getContextClassLoader())
            + ", inherited thread-local " + REQUEST.get());
      }
    });
    for (int i = 0; i < 3; i++) {
      new Shop().sendWelcome("caller" + i + "@example.com");
      Ledger.post(i);
    }
    Thread.sleep(3_000);
    Map<String, String> loaders = new TreeMap<>();
    Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().startsWith("bgtask-"))
        .forEach(thread -> loaders.put(thread.getName(), name(thread.getContextClassLoader())));
    loaders.forEach((thread, loader) -> System.out.println("agent thread " + thread + " context loader " + loader));
    System.out.println("done");
  }

  private static String name(ClassLoader loader) {
    return loader == null ? "none" : loader.getName() == null ? loader.getClass().getSimpleName() : loader.getName();
  }
}
