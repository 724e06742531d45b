package dev.bgtask.demo;

import dev.bgtask.Background;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicInteger;

public final class PaymentGateway {

  private static final AtomicInteger calls = new AtomicInteger();

  private PaymentGateway() {}

  /** The provider times out the first time; the task is retried after django's back-off (1^4 + 5 s). */
  @Background
  public static void charge(String orderId, BigDecimal amount) throws IOException {
    if (calls.incrementAndGet() == 1) {
      Progress.note("charging " + amount + " EUR for " + orderId + ": the provider timed out (attempt 1)");
      throw new IOException("payment provider timed out");
    }
    Progress.done("charged " + amount + " EUR for order " + orderId + " (attempt " + calls.get() + ")");
  }
}
