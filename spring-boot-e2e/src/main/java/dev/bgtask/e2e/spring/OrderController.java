package dev.bgtask.e2e.spring;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class OrderController {

  private final OrderService orders;

  public OrderController(OrderService orders) {
    this.orders = orders;
  }

  @PostMapping("/orders")
  public String place(@RequestParam String customer, @RequestParam(defaultValue = "0") long holdMillis,
      @RequestParam(defaultValue = "false") boolean audit, @RequestParam(defaultValue = "false") boolean fail)
      throws InterruptedException {
    return "order " + orders.place(customer, holdMillis, audit, fail);
  }
}
