package dev.bgtask.runtime.config;

/** Configuration that cannot be used; the message is the one line shown to the user. */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
