package dev.bgtask.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourcesTest {

  @TempDir
  Path directory;

  @Test
  void agentArgumentsWinOverSystemPropertiesOverEnvironmentOverTheFile() throws Exception {
    Path file = directory.resolve("bgtask.properties");
    Files.writeString(file, "workers=1\nsleep=9s\nmaxAttempts=7\nhistory=2d\n");
    Properties system = new Properties();
    system.setProperty("bgtask.workers", "2");
    system.setProperty("bgtask.sleep", "8s");
    system.setProperty("bgtask.config", file.toString());
    Map<String, String> environment = Map.of("BGTASK_WORKERS", "3", "BGTASK_SLEEP", "7s", "BGTASK_MAX_ATTEMPTS", "6", "PATH", "/bin");
    Settings settings = Settings.from(ConfigSources.read(Map.of("workers", "4"), system, environment));
    assertEquals(4, settings.workers());
    assertEquals(Duration.ofSeconds(8), settings.sleep());
    assertEquals(6, settings.maxAttempts());
    assertEquals(Optional.of(Duration.ofDays(2)), settings.history());
  }

  @Test
  void defaultsApplyWhenNothingIsSet() {
    Settings settings = Settings.defaults();
    assertEquals(4, settings.workers());
    assertEquals(10, settings.poolSize());
    assertEquals(25, settings.maxAttempts());
    assertEquals(Duration.ofSeconds(5), settings.sleep());
    assertEquals(Optional.of(Duration.ofDays(7)), settings.history());
    assertEquals("bgtask_", settings.tablePrefix());
    assertEquals("", settings.url());
    assertEquals(List.of(), settings.queues());
  }

  @Test
  void valuesAreParsed() {
    Settings settings = Settings.from(ConfigSources.read(
        Map.of("queues", "mail|reports", "sleep", "250ms", "history", "off", "poolSize", "3"), new Properties(), Map.of()));
    assertEquals(List.of("mail", "reports"), settings.queues());
    assertEquals(Duration.ofMillis(250), settings.sleep());
    assertEquals(Optional.empty(), settings.history());
    assertEquals(3, settings.poolSize());
  }

  @Test
  void transactionPoolingAndAListenUrlAreReadForPostgres() {
    Settings settings = settings(Map.of("url", "jdbc:postgresql://pooler:6432/app", "pooler", "transaction",
        "listenUrl", "jdbc:postgresql://db:5432/app"));
    assertTrue(settings.transactionPooler());
    assertEquals("jdbc:postgresql://db:5432/app", settings.listenUrl());
    assertEquals(false, settings(Map.of("url", "jdbc:postgresql://pooler:6432/app", "pooler", "session")).transactionPooler());
    assertEquals(false, Settings.defaults().transactionPooler());
  }

  @Test
  void poolerAndListenUrlAreRefusedWhereTheyMeanNothing() {
    assertEquals("invalid value 'transaction' for pooler (-javaagent arguments): expected only for a PostgreSQL url"
        + " (jdbc:postgresql:...), and url is the embedded H2 default",
        assertThrows(ConfigException.class, () -> settings(Map.of("pooler", "transaction"))).getMessage());
    assertTrue(assertThrows(ConfigException.class, () -> settings(Map.of("url", "jdbc:mariadb://db/app",
        "listenUrl", "jdbc:postgresql://db/app"))).getMessage().contains("only for a PostgreSQL url"));
    assertTrue(assertThrows(ConfigException.class, () -> settings(Map.of("url", "jdbc:postgresql://db/app",
        "pooler", "transactions"))).getMessage().contains("one of [none, session, transaction]"));
    assertEquals("invalid value 'jdbc:mariadb://db/app?password=***' for listenUrl (-javaagent arguments):"
        + " expected a jdbc:postgresql: URL straight to the task database",
        assertThrows(ConfigException.class, () -> settings(Map.of("url", "jdbc:postgresql://db/app",
            "listenUrl", "jdbc:mariadb://db/app?password=secret"))).getMessage());
  }

  private static Settings settings(Map<String, String> agentArguments) {
    return Settings.from(ConfigSources.read(agentArguments, new Properties(), Map.of()));
  }

  @Test
  void unknownKeyIsRefusedWithTheClosestValidKeyAndTheList() {
    ConfigException refused = assertThrows(ConfigException.class,
        () -> ConfigSources.read(Map.of("wokers", "2"), new Properties(), Map.of()));
    assertEquals("unknown configuration key 'wokers' in -javaagent arguments (did you mean 'workers'?); valid keys: "
        + ConfigKey.validKeys(), refused.getMessage());
  }

  @Test
  void unknownKeyInEverySourceIsRefused() {
    Properties system = new Properties();
    system.setProperty("bgtask.colour", "blue");
    assertThrows(ConfigException.class, () -> ConfigSources.read(Map.of(), system, Map.of()));
    assertThrows(ConfigException.class, () -> ConfigSources.read(Map.of(), new Properties(), Map.of("BGTASK_SLEPE", "1")));
  }

  @Test
  void unknownKeyInTheFileIsRefusedNamingTheFile() throws Exception {
    Path file = directory.resolve("bad.properties");
    Files.writeString(file, "wrokers=3\n");
    ConfigException refused = assertThrows(ConfigException.class,
        () -> ConfigSources.read(Map.of("config", file.toString()), new Properties(), Map.of()));
    assertTrue(refused.getMessage().contains("in config file " + file), refused.getMessage());
  }

  @Test
  void missingFileIsRefused() {
    ConfigException refused = assertThrows(ConfigException.class,
        () -> ConfigSources.read(Map.of("config", directory.resolve("nope.properties").toString()), new Properties(), Map.of()));
    assertTrue(refused.getMessage().startsWith("cannot read the config file"), refused.getMessage());
  }

  @Test
  void malformedValuesAreRefusedNamingKeySourceAndExpectation() {
    assertEquals("invalid value '-1' for workers (-javaagent arguments): expected a whole number, 0 or more",
        assertThrows(ConfigException.class, () -> settings("workers", "-1")).getMessage());
    assertTrue(assertThrows(ConfigException.class, () -> settings("sleep", "soon")).getMessage().contains("a duration such as"));
    assertTrue(assertThrows(ConfigException.class, () -> settings("sleep", "0")).getMessage().contains("above 0"));
    assertTrue(assertThrows(ConfigException.class, () -> settings("maxAttempts", "0")).getMessage().contains("1 or more"));
    assertTrue(assertThrows(ConfigException.class, () -> settings("tablePrefix", "x; DROP")).getMessage().contains("letters, digits"));
    assertTrue(assertThrows(ConfigException.class, () -> settings("logLevel", "loud")).getMessage().contains("one of"));
  }

  @Test
  void environmentNamesAreUpperSnakeCaseOfTheKeys() {
    assertEquals("BGTASK_MAX_ATTEMPTS", ConfigKey.MAX_ATTEMPTS.environmentName());
    assertEquals("BGTASK_TABLE_PREFIX", ConfigKey.TABLE_PREFIX.environmentName());
    assertEquals("BGTASK_URL", ConfigKey.URL.environmentName());
  }

  private static Settings settings(String key, String value) {
    return Settings.from(ConfigSources.read(Map.of(key, value), new Properties(), Map.of()));
  }
}
