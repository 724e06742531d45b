package dev.bgtask.runtime.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.Background;
import dev.bgtask.runtime.task.ClassLoaders;
import dev.bgtask.runtime.task.TaskMethod;
import dev.bgtask.runtime.task.TaskMethods;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgumentCodecTest {

  record Item(String sku, int quantity) {}

  static final class Looping {
    public Looping getSelf() {
      return this;
    }
  }

  /** Shaped as the agent leaves a class: the body moved to name$bgtask. */
  static final class Subject {
    @Background
    static void order(BigDecimal amount, List<Item> items, Instant when) {}

    private static void order$bgtask(BigDecimal amount, List<Item> items, Instant when) {}

    @Background
    static void anything(Object value) {}

    private static void anything$bgtask(Object value) {}
  }

  private final ArgumentCodec codec = new ArgumentCodec();
  private final TaskMethods methods = new TaskMethods(codec, new ClassLoaders());
  private final TaskMethod order = methods.forCall(Subject.class, "order(Ljava/math/BigDecimal;Ljava/util/List;Ljava/time/Instant;)V");
  private final TaskMethod anything = methods.forCall(Subject.class, "anything(Ljava/lang/Object;)V");

  @Test
  void argumentsRoundTripAsTheDeclaredGenericTypes() {
    Object[] arguments = {new BigDecimal("37.50"), List.of(new Item("tea", 2)), Instant.parse("2026-11-23T10:15:30.123Z")};
    String json = codec.encode(order, arguments);
    assertEquals("[37.50,[{\"sku\":\"tea\",\"quantity\":2}],\"2026-11-23T10:15:30.123Z\"]", json);
    Object[] decoded = codec.decode(order, json);
    assertEquals(new BigDecimal("37.50"), decoded[0], "decimals keep their exact value and scale");
    assertInstanceOf(Item.class, ((List<?>) decoded[1]).get(0), "list elements come back as the declared record");
    assertEquals(List.of(new Item("tea", 2)), decoded[1]);
    assertEquals(arguments[2], decoded[2]);
  }

  @Test
  void cyclicValueIsRefusedNamingMethodAndParameter() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> codec.encode(anything, new Object[] {new Looping()}));
    assertTrue(refused.getMessage().startsWith("cannot store a task for dev.bgtask.runtime.codec.ArgumentCodecTest$Subject.anything:"
        + " parameter 1 'value' (java.lang.Object) cannot be written as JSON"), refused.getMessage());
  }

  @Test
  void storedJsonNeverChoosesTheClassThatIsBuilt() {
    Object[] decoded = codec.decode(anything, "[{\"@class\":\"java.lang.ProcessBuilder\",\"command\":[\"rm\"]}]");
    assertEquals(Map.of("@class", "java.lang.ProcessBuilder", "command", List.of("rm")), decoded[0]);
  }

  @Test
  void jsonThatNoLongerFitsIsAMismatchNamingTheParameter() {
    ArgumentMismatchException wrongType = assertThrows(ArgumentMismatchException.class,
        () -> codec.decode(order, "[\"lots\",[],\"2026-11-23T10:15:30Z\"]"));
    assertTrue(wrongType.getMessage().startsWith("the stored value for parameter 1 'amount' (java.math.BigDecimal) no longer fits"),
        wrongType.getMessage());
    assertThrows(ArgumentMismatchException.class, () -> codec.decode(order, "[1, []]"), "too few");
    assertThrows(ArgumentMismatchException.class, () -> codec.decode(order, "[1, [], null, 4]"), "too many");
    assertThrows(ArgumentMismatchException.class, () -> codec.decode(order, "{\"not\":\"an array\"}"));
    assertThrows(ArgumentMismatchException.class, () -> codec.decode(order, "[1, [], "), "truncated");
  }
}
