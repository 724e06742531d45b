package dev.bgtask.e2e.app;

import dev.bgtask.Background;
import java.util.List;

/** Instance methods: the worker makes its own Shop through the no-argument constructor. */
public class Shop {

  @Background
  public void sendWelcome(String email) {
    Results.record("welcome " + email);
  }

  @Background
  void pack(long orderId, List<OrderLine> lines) {
    StringBuilder packed = new StringBuilder("pack " + orderId);
    for (OrderLine line : lines) {
      packed.append(' ').append(line.getClass().getName()).append(':').append(line.sku()).append('x').append(line.quantity());
    }
    Results.record(packed.toString());
  }
}
