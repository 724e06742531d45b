package dev.bgtask.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClaimTokensTest {

  @Test
  void tokensAreDistinctVersion4Uuids() {
    Set<String> tokens = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String token = ClaimTokens.next();
      UUID parsed = UUID.fromString(token);
      assertEquals(4, parsed.version(), token);
      assertEquals(2, parsed.variant(), token);
      assertEquals(token, parsed.toString());
      tokens.add(token);
    }
    assertEquals(100_000, tokens.size());
  }
}
