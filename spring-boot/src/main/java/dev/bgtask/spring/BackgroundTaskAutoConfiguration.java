package dev.bgtask.spring;

import dev.bgtask.BackgroundTasks;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What adding the starter gives a Spring Boot application started with the agent: its beans as
 * the receivers of {@code @Background} instance methods, calls inside its transactions stored with
 * them, the workers started once the context is ready and stopped before it closes, and an
 * Actuator health indicator. Without the agent it only says, once, that the methods run in their
 * callers.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(BackgroundTasks.class)
public class BackgroundTaskAutoConfiguration {

  @Bean
  static BackgroundTaskLifecycle backgroundTaskLifecycle(ConfigurableListableBeanFactory beans, ObjectProvider<DataSource> dataSource) {
    return new BackgroundTaskLifecycle(new BeanReceivers(beans), new SpringTransactionBinding(dataSource));
  }

  /** The queue's health at {@code /actuator/health}, when Actuator is there. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  static class Health {

    @Bean
    BackgroundTaskHealthIndicator backgroundTasksHealthIndicator() {
      return new BackgroundTaskHealthIndicator();
    }
  }
}
