package dev.bgtask.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.runtime.config.ConfigSources;
import dev.bgtask.runtime.config.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2WriteDelayTest {

  @TempDir
  Path directory;

  @Test
  void anH2FileTheApplicationNamesIsOpenedWithCommitsWrittenAtOnce() {
    String url = "jdbc:h2:file:" + directory.resolve("tasks");
    try (Database database = Database.connect(settings(url))) {
      assertEquals(url + ";WRITE_DELAY=0", database.url());
      assertEquals("0", InMemoryDatabase.rows(database,
          "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'").get(0).get("setting_value"));
    }
  }

  @Test
  void theEmbeddedDefaultWritesCommitsAtOnceToo() {
    String url = H2WriteDelay.immediate(Database.defaultUrl());
    assertTrue(url.endsWith(";AUTO_SERVER=TRUE;WRITE_DELAY=0"), url);
  }

  @Test
  void aWriteDelayTheUrlSetsIsKeptAndWarnedAbout() {
    String url = "jdbc:h2:./tasks;AUTO_SERVER=TRUE;write_delay = 200";
    assertEquals(url, H2WriteDelay.immediate(url));
    assertEquals(200, H2WriteDelay.configured(url).getAsInt());
    assertTrue(H2WriteDelay.warningFor(url).contains("WRITE_DELAY=200"), H2WriteDelay.warningFor(url));
    assertNull(H2WriteDelay.warningFor("jdbc:h2:./tasks;WRITE_DELAY=0"));
  }

  @Test
  void onlyEmbeddedH2FilesAreChanged() {
    for (String url : new String[] {"jdbc:h2:mem:tasks", "jdbc:h2:tcp://localhost/~/tasks", "jdbc:postgresql://localhost/tasks",
        "jdbc:mariadb://localhost/tasks"}) {
      assertEquals(url, H2WriteDelay.immediate(url));
      assertNull(H2WriteDelay.warningFor(url));
    }
    assertEquals("jdbc:h2:~/tasks;WRITE_DELAY=0", H2WriteDelay.immediate("jdbc:h2:~/tasks;"));
  }

  private static Settings settings(String url) {
    return Settings.from(ConfigSources.read(Map.of("url", url), new Properties(), Map.of()));
  }
}
