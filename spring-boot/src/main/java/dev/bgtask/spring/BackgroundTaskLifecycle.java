package dev.bgtask.spring;

import dev.bgtask.BackgroundTasks;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.SmartApplicationListener;

/**
 * Hands the agent this context's beans and transactions once every singleton exists, starts the
 * workers when the application is ready (the agent holds them until then, so no task runs before
 * the beans it needs), and stops them as the context closes, before its beans go. A devtools
 * restart closes one context and readies the next: the workers stop, then run on with the new beans.
 */
final class BackgroundTaskLifecycle implements SmartInitializingSingleton, SmartApplicationListener {

  private static final Log log = LogFactory.getLog(BackgroundTaskLifecycle.class);

  private final BeanReceivers receivers;
  private final SpringTransactionBinding transactions;

  BackgroundTaskLifecycle(BeanReceivers receivers, SpringTransactionBinding transactions) {
    this.receivers = receivers;
    this.transactions = transactions;
  }

  @Override
  public void afterSingletonsInstantiated() {
    if (!BackgroundTasks.isAgentAttached()) {
      log.warn("background-task: the agent is not attached to this JVM, so @Background methods run in their callers,"
          + " synchronously; start it with -javaagent:background-task-agent.jar");
      return;
    }
    BackgroundTasks.useInstanceResolver(receivers);
    BackgroundTasks.useTransactionBinding(transactions);
  }

  @Override
  public boolean supportsEventType(Class<? extends ApplicationEvent> type) {
    return ApplicationReadyEvent.class.isAssignableFrom(type) || ContextClosedEvent.class.isAssignableFrom(type);
  }

  @Override
  public void onApplicationEvent(ApplicationEvent event) {
    if (!BackgroundTasks.isAgentAttached()) {
      return;
    }
    if (event instanceof ApplicationReadyEvent) {
      BackgroundTasks.startWorkers();
    } else {
      BackgroundTasks.stopWorkers();
    }
  }
}
