package dev.bgtask.e2e.spring;

import jakarta.annotation.PostConstruct;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** A context that takes {@code shop.startup-delay-millis} to start, as one with much to set up does. */
@Component
public class StartupDelay {

  private final long millis;

  public StartupDelay(@Value("${shop.startup-delay-millis:0}") long millis) {
    this.millis = millis;
  }

  @PostConstruct
  void takeTime() throws InterruptedException {
    Thread.sleep(millis);
  }
}
