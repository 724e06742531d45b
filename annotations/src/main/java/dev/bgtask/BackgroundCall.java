package dev.bgtask;

/** A lambda that makes one {@code @Background} call, e.g. {@code () -> mailer.sendWelcome(customer)}. */
@FunctionalInterface
public interface BackgroundCall {
  void run() throws Exception;
}
