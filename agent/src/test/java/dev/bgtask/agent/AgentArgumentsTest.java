package dev.bgtask.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentArgumentsTest {

  @Test
  void keyValuePairsAreSplitOnCommasThatStartANewKey() {
    assertEquals(Map.of("workers", "2", "url", "jdbc:h2:file:/tmp/x;MODE=PostgreSQL,foo", "queues", "mail|reports"),
        AgentArguments.parse("workers=2,url=jdbc:h2:file:/tmp/x;MODE=PostgreSQL,foo,queues=mail|reports"));
  }

  @Test
  void noArgumentsMeanNoOptions() {
    assertEquals(Map.of(), AgentArguments.parse(null));
    assertEquals(Map.of(), AgentArguments.parse(""));
  }

  @Test
  void emptyValueIsKept() {
    assertEquals(Map.of("password", ""), AgentArguments.parse("password="));
  }

  @Test
  void malformedArgumentsAreRefused() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> AgentArguments.parse("workers"));
    assertTrue(refused.getMessage().startsWith("malformed agent arguments 'workers': expected key=value,key=value"), refused.getMessage());
    assertThrows(IllegalArgumentException.class, () -> AgentArguments.parse("=2"));
  }

  @Test
  void aKeyGivenTwiceIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> AgentArguments.parse("workers=2,workers=3"));
  }
}
