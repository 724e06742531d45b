package com.example.shop;

import java.math.BigDecimal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class OrderController {

  private final Orders orders;

  public OrderController(Orders orders) {
    this.orders = orders;
  }

  /** Places an order; its receipt is sent in the background, once the order is committed. */
  @PostMapping("/orders")
  public String place(@RequestParam String customer, @RequestParam BigDecimal total) {
    return "order " + orders.place(customer, total) + " placed\n";
  }
}
