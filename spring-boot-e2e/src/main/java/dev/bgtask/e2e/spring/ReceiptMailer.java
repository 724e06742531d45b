package dev.bgtask.e2e.spring;

import dev.bgtask.Background;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/** Sends an order's receipt in the background, reading the order through its injected JdbcTemplate. */
@Service
public class ReceiptMailer {

  private final JdbcTemplate jdbc;
  private final Results results;

  public ReceiptMailer(JdbcTemplate jdbc, Results results) {
    this.jdbc = jdbc;
    this.results = results;
  }

  @Background(queue = "mail")
  public void send(long orderId) {
    String customer = jdbc.queryForObject("SELECT customer FROM shop_order WHERE id = ?", String.class, orderId);
    results.record("receipt " + orderId + " to " + customer + " | loader=" + loaderOf(getClass()));
  }

  /** Records what an audit said, in the background. */
  @Background(queue = "audit")
  public void audit(String what) {
    results.record("audit " + what);
  }

  static String loaderOf(Class<?> type) {
    ClassLoader loader = type.getClassLoader();
    return loader.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(loader));
  }
}
