package dev.bgtask.runtime.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.Background;
import dev.bgtask.runtime.codec.ArgumentCodec;
import org.junit.jupiter.api.Test;

class TaskMethodsTest {

  static final class Subject {
    @Background(name = "nightly report", queue = "reports", priority = 3, maxAttempts = 4, schedule = 60)
    void report(int day) {}

    private void report$bgtask(int day) {}

    void plain(String text) {}

    private void plain$bgtask(String text) {}

    @Background
    void notRewritten() {}

    @Background
    static void values(long id, Integer count, String label, char mark, Double ratio, boolean flag) {}

    private static void values$bgtask(long id, Integer count, String label, char mark, Double ratio, boolean flag) {}

    @Background
    static void list(long id, java.util.List<String> tags) {}

    private static void list$bgtask(long id, java.util.List<String> tags) {}

    @Background
    static void array(int[] ids) {}

    private static void array$bgtask(int[] ids) {}

    @Background
    static void anything(Object value) {}

    private static void anything$bgtask(Object value) {}
  }

  private final TaskMethods methods = new TaskMethods(new ArgumentCodec(), new ClassLoaders());

  @Test
  void rowNamingABackgroundMethodResolvesToItsBodyAndAttributes() {
    TaskMethod method = methods.forRow(new MethodIdentity(Subject.class.getName(), "report", "(I)V"));
    assertEquals("report$bgtask", method.body().getName());
    assertEquals("nightly report", method.taskName());
    assertEquals(new BackgroundAttributes(60, "reports", 3, "nightly report", 4, false, 0), method.attributes());
    assertFalse(method.isStatic());
  }

  @Test
  void rowNamingAMethodWithoutBackgroundIsRefused() {
    TaskMethodException refused = assertThrows(TaskMethodException.class,
        () -> methods.forRow(new MethodIdentity(Subject.class.getName(), "plain", "(Ljava/lang/String;)V")));
    assertTrue(refused.isRefused());
    assertTrue(refused.getMessage().contains("is not annotated @Background; refusing to run it"), refused.getMessage());
  }

  @Test
  void rowNamingAJdkMethodIsRefused() {
    TaskMethodException refused = assertThrows(TaskMethodException.class,
        () -> methods.forRow(new MethodIdentity("java.lang.Runtime", "exit", "(I)V")));
    assertTrue(refused.isRefused(), refused.getMessage());
  }

  @Test
  void methodTheAgentDidNotRewriteIsRefused() {
    TaskMethodException refused = assertThrows(TaskMethodException.class,
        () -> methods.forRow(new MethodIdentity(Subject.class.getName(), "notRewritten", "()V")));
    assertTrue(refused.isRefused());
    assertTrue(refused.getMessage().contains("was not rewritten by the agent"), refused.getMessage());
  }

  @Test
  void rowNamingAMissingClassOrMethodMayBeRetried() {
    TaskMethodException gone = assertThrows(TaskMethodException.class,
        () -> methods.forRow(new MethodIdentity("com.example.Gone", "run", "()V")));
    assertFalse(gone.isRefused());
    TaskMethodException overload = assertThrows(TaskMethodException.class,
        () -> methods.forRow(new MethodIdentity(Subject.class.getName(), "report", "(J)V")));
    assertFalse(overload.isRefused());
  }

  @Test
  void onlyPrimitivesBoxedPrimitivesAndStringsCountAsValuesALocalStartMayTakeAsTheyAre() {
    assertTrue(methods.forCall(Subject.class, "values(JLjava/lang/Integer;Ljava/lang/String;CLjava/lang/Double;Z)V").takesOnlyValues());
    assertTrue(methods.forCall(Subject.class, "report(I)V").takesOnlyValues());
    assertFalse(methods.forCall(Subject.class, "list(JLjava/util/List;)V").takesOnlyValues(), "a list may change after the call");
    assertFalse(methods.forCall(Subject.class, "array([I)V").takesOnlyValues(), "an array may change after the call");
    assertFalse(methods.forCall(Subject.class, "anything(Ljava/lang/Object;)V").takesOnlyValues(), "decoding an Object gives maps and lists");
  }
}
