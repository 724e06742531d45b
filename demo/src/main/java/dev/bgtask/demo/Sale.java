package dev.bgtask.demo;

import java.math.BigDecimal;

public record Sale(String sku, int quantity, BigDecimal unitPrice) {

  BigDecimal total() {
    return unitPrice.multiply(BigDecimal.valueOf(quantity));
  }
}
