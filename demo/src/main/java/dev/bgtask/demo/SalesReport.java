package dev.bgtask.demo;

import dev.bgtask.Background;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

public final class SalesReport {

  private SalesReport() {}

  /** Generic arguments come back as what was declared: a List of Sale records, not of maps. */
  @Background(priority = 5, name = "daily sales report")
  public static void compile(LocalDate day, List<Sale> sales) {
    BigDecimal total = sales.stream().map(Sale::total).reduce(BigDecimal.ZERO, BigDecimal::add);
    Progress.done("sales report for " + day + ": " + sales.size() + " sales, " + total + " EUR");
  }
}
