package dev.bgtask.e2e.spring;

import dev.bgtask.Background;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Places orders in transactions: the order row and the receipt task commit or roll back together.
 * A {@code @Transactional} bean, so Spring proxies it; its own {@code @Background} method, called
 * on {@code this}, is stored all the same.
 */
@Service
public class OrderService {

  private static final AtomicLong ids = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1_000);

  private final JdbcTemplate jdbc;
  private final ReceiptMailer receipts;
  private final AuditTrail audits;
  private final Results results;

  public OrderService(JdbcTemplate jdbc, ReceiptMailer receipts, AuditTrail audits, Results results) {
    this.jdbc = jdbc;
    this.receipts = receipts;
    this.audits = audits;
    this.results = results;
  }

  /**
   * Stores the order and its receipt task; with {@code holdMillis} the transaction stays open that
   * long after the call, with {@code audit} an audit task is stored in a transaction of its own
   * (REQUIRES_NEW) first, with {@code fail} everything of this transaction rolls back.
   */
  @Transactional
  public long place(String customer, long holdMillis, boolean audit, boolean fail) throws InterruptedException {
    long id = ids.incrementAndGet();
    jdbc.update("INSERT INTO shop_order (id, customer) VALUES (?, ?)", id, customer);
    if (audit) {
      audits.record("order " + id + " placed by " + customer);
    }
    receipts.send(id);
    this.packLater(id);
    Thread.sleep(holdMillis);
    if (fail) {
      throw new IllegalStateException("order " + id + " refused: payment declined");
    }
    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
      @Override
      public void afterCommit() {
        results.record("committed " + id);
      }
    });
    return id;
  }

  /** Called on {@code this}, past Spring's proxy: still stored as a task. */
  @Background(queue = "mail")
  public void packLater(long orderId) {
    results.record("packed " + orderId + " | class=" + getClass().getName());
  }
}
