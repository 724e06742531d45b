package com.example.shop;

import java.math.BigDecimal;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.SimpleJdbcInsert;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class Orders {

  private final SimpleJdbcInsert insert;
  private final ReceiptMailer receipts;

  public Orders(JdbcTemplate jdbc, ReceiptMailer receipts) {
    this.insert = new SimpleJdbcInsert(jdbc).withTableName("shop_order").usingGeneratedKeyColumns("id");
    this.receipts = receipts;
  }

  /**
   * The order row and its receipt task are stored in one transaction: if anything here throws,
   * neither exists. A total of zero or less is refused after the call, to show it.
   */
  @Transactional
  public long place(String customer, BigDecimal total) {
    long id = insert.executeAndReturnKey(java.util.Map.of("customer", customer, "total", total)).longValue();
    receipts.send(id);
    if (total.signum() <= 0) {
      throw new IllegalArgumentException("a total must be above zero; order " + id + " and its receipt are rolled back");
    }
    return id;
  }
}
