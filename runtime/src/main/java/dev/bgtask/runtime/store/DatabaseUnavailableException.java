package dev.bgtask.runtime.store;

/** The task database cannot be reached or refused a statement the agent needs. */
public final class DatabaseUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The database received the statement and refused it for what it says (SQLSTATE class 22, a
   * value it cannot take; 23, a key or constraint; 42, a name or syntax; 0A, a feature it lacks).
   * Sent again unchanged it fails again, and it changed nothing; any other error may be an
   * outage, after which the statement may or may not have been carried out.
   */
  public boolean isRefusal() {
    for (Throwable cause = getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2) {
        String sqlClass = sql.getSQLState().substring(0, 2);
        if (sqlClass.equals("22") || sqlClass.equals("23") || sqlClass.equals("42") || sqlClass.equals("0A")) {
          return true;
        }
      }
    }
    return false;
  }
}
