package dev.bgtask.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  void passwordsInUrlsAndMessagesAreMaskedAndNothingElseIs() {
    assertEquals("jdbc:postgresql://db:5432/tasks?user=app&password=***&ssl=true",
        Secrets.masked("jdbc:postgresql://db:5432/tasks?user=app&password=hunter2&ssl=true"));
    assertEquals("jdbc:h2:file:./tasks;USER=sa;PASSWORD=***;AUTO_SERVER=TRUE",
        Secrets.masked("jdbc:h2:file:./tasks;USER=sa;PASSWORD=s3cr#t;AUTO_SERVER=TRUE"));
    assertEquals("jdbc:mariadb://app:***@db:3306/tasks", Secrets.masked("jdbc:mariadb://app:hunter2@db:3306/tasks"));
    assertEquals("cannot connect to jdbc:postgresql://x/y?pwd=***: refused", Secrets.masked("cannot connect to jdbc:postgresql://x/y?pwd=p: refused"));
    assertEquals("jdbc:postgresql://db:5432/tasks?user=app", Secrets.masked("jdbc:postgresql://db:5432/tasks?user=app"));
    assertEquals("http://127.0.0.1:8090/?token=abc", Secrets.masked("http://127.0.0.1:8090/?token=abc"), "not a password");
  }
}
