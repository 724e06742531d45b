package com.example.shop;

import dev.bgtask.Background;
import java.math.BigDecimal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

@Service
public class ReceiptMailer {

  private static final Logger log = LoggerFactory.getLogger(ReceiptMailer.class);

  private final JdbcTemplate jdbc;

  public ReceiptMailer(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Runs on a background worker, on this bean, with its JdbcTemplate; retried with back-off if it throws. */
  @Background(queue = "mail", maxAttempts = 5)
  public void send(long orderId) {
    var order = jdbc.queryForMap("SELECT customer, total FROM shop_order WHERE id = ?", orderId);
    log.info("receipt for order {}: {} paid {} (sent from {})", orderId, order.get("customer"), (BigDecimal) order.get("total"),
        Thread.currentThread().getName());
  }
}
