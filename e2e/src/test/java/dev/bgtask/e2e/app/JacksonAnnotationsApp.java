package dev.bgtask.e2e.app;

import java.time.LocalDate;

/**
 * {@code call}: stores one task whose arguments carry the application's Jackson annotations, and
 * tries one with a {@code @JsonTypeInfo} argument. {@code serve}: runs tasks until standard input closes. Prints
 * which Jackson the application sees, if any.
 */
public final class JacksonAnnotationsApp {

  private JacksonAnnotationsApp() {}

  public static void main(String[] args) throws Exception {
    System.out.println("application Jackson annotations " + version("com.fasterxml.jackson.annotation.JsonProperty")
        + ", databind " + version("com.fasterxml.jackson.databind.ObjectMapper"));
    Accounts accounts = new Accounts();
    if (args[0].equals("call")) {
      accounts.register(new Signup("ann@example.com", "hunter2", LocalDate.of(1990, 12, 4), 1250), Sku.of("SKU-1"), Delivery.EXPRESS);
      System.out.println("stored register");
      try {
        accounts.charge(new Payment.Card("4111"));
        System.out.println("stored charge");
      } catch (IllegalArgumentException refused) {
        System.out.println("refused: " + refused.getMessage());
      }
    } else {
      System.out.println("serving");
      System.in.read(); // until the test closes standard input
    }
  }

  private static String version(String className) {
    try {
      Package found = Class.forName(className).getPackage();
      return found.getImplementationVersion() == null ? "present" : found.getImplementationVersion();
    } catch (ClassNotFoundException absent) {
      return "absent";
    }
  }
}
