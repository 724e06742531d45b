package dev.bgtask.runtime.task;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * The {@code @Background} attributes of one method.
 *
 * <p>Read by annotation type name, not class identity, so a method still counts when its class
 * loader brought its own copy of the annotations jar instead of delegating to the agent's.
 */
public record BackgroundAttributes(long scheduleSeconds, String queue, int priority, String name, int maxAttempts,
    boolean removeExistingTasks, long maxRunTimeSeconds) {

  public static final String ANNOTATION = "dev.bgtask.Background";

  public static Optional<BackgroundAttributes> of(Method method) {
    for (Annotation annotation : method.getDeclaredAnnotations()) {
      if (annotation.annotationType().getName().equals(ANNOTATION)) {
        return Optional.of(read(annotation));
      }
    }
    return Optional.empty();
  }

  private static BackgroundAttributes read(Annotation annotation) {
    return new BackgroundAttributes(
        (Long) attribute(annotation, "schedule"),
        (String) attribute(annotation, "queue"),
        (Integer) attribute(annotation, "priority"),
        (String) attribute(annotation, "name"),
        (Integer) attribute(annotation, "maxAttempts"),
        (Boolean) attribute(annotation, "removeExistingTasks"),
        (Long) attribute(annotation, "maxRunTime"));
  }

  private static Object attribute(Annotation annotation, String name) {
    try {
      Method accessor = annotation.annotationType().getMethod(name);
      accessor.setAccessible(true);
      return accessor.invoke(annotation);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("@Background of an unexpected version: no attribute " + name, e);
    }
  }
}
