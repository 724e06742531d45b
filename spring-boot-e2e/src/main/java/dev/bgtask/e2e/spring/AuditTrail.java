package dev.bgtask.e2e.spring;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Audits in a transaction of its own, which commits whatever its caller's does. */
@Service
public class AuditTrail {

  private final ReceiptMailer receipts;

  public AuditTrail(ReceiptMailer receipts) {
    this.receipts = receipts;
  }

  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void record(String what) {
    receipts.audit(what);
  }
}
