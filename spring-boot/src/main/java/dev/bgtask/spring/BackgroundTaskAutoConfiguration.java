package dev.bgtask.spring;

import dev.bgtask.BackgroundTasks;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What adding the starter gives a Spring Boot application started with the agent: its beans as
 * the receivers of {@code @Background} instance methods, calls inside its transactions stored with
 * them, the workers started once the context is ready and stopped before it closes, and an
 * Actuator health indicator. Without the agent it only says, once, that the methods run in their
 * callers.
 */
// The DataSource's auto-configuration by name: Spring Boot 4 moved it to another package.
@AutoConfiguration(afterName = {"org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
@ConditionalOnClass(BackgroundTasks.class)
public class BackgroundTaskAutoConfiguration {

  @Bean
  static BackgroundTaskLifecycle backgroundTaskLifecycle(ConfigurableListableBeanFactory beans, ObjectProvider<DataSource> dataSource) {
    return new BackgroundTaskLifecycle(new BeanReceivers(beans), new SpringTransactionBinding(dataSource));
  }

  /** The queue's health at {@code /actuator/health}, when Spring Boot 3's Actuator is there. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  @ConditionalOnMissingClass("org.springframework.boot.health.contributor.HealthIndicator")
  static class ActuatorHealth {

    @Bean
    BackgroundTaskHealthIndicator backgroundTasksHealthIndicator() {
      return new BackgroundTaskHealthIndicator();
    }
  }

  /** The same with Spring Boot 4, whose health contributors live in their own module. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class BootHealth {

    @Bean
    BackgroundTaskHealthContributor backgroundTasksHealthIndicator() {
      return new BackgroundTaskHealthContributor();
    }
  }
}
