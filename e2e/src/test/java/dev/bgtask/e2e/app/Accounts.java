package dev.bgtask.e2e.app;

import dev.bgtask.Background;

public class Accounts {

  @Background
  public void register(Signup signup, Sku sku, Delivery delivery) {
    Results.record("registered " + signup + " sku=" + sku + " delivery=" + delivery);
  }

  @Background
  public void charge(Payment payment) {
    Results.record("charged " + payment);
  }
}
