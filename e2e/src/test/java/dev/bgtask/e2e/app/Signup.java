package dev.bgtask.e2e.app;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.LocalDate;

/** A task argument shaped by the application's own Jackson annotations: renamed, formatted, built by a creator, one secret left out. */
public final class Signup {

  @JsonProperty("e_mail")
  private final String email;
  @JsonIgnore
  private final String password;
  @JsonFormat(pattern = "dd.MM.yyyy")
  private final LocalDate birthday;
  @JsonFormat(shape = JsonFormat.Shape.STRING)
  private final long amountCents;

  public Signup(String email, String password, LocalDate birthday, long amountCents) {
    this.email = email;
    this.password = password;
    this.birthday = birthday;
    this.amountCents = amountCents;
  }

  @JsonCreator
  static Signup stored(@JsonProperty("e_mail") String email, @JsonProperty("birthday") LocalDate birthday,
      @JsonProperty("amountCents") long amountCents) {
    return new Signup(email, null, birthday, amountCents);
  }

  @Override
  public String toString() {
    return "email=" + email + " password=" + password + " birthday=" + birthday + " amountCents=" + amountCents;
  }
}
