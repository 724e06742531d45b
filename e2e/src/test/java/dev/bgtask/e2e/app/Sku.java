package dev.bgtask.e2e.app;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A value written as its code alone ({@code @JsonValue}) and read back through a factory ({@code @JsonCreator}). */
public final class Sku {

  private final String code;

  private Sku(String code) {
    this.code = code;
  }

  @JsonCreator
  public static Sku of(String code) {
    return new Sku(code);
  }

  @JsonValue
  public String code() {
    return code;
  }

  @Override
  public String toString() {
    return "Sku(" + code + ")";
  }
}
