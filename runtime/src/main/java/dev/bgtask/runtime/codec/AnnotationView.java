package dev.bgtask.runtime.codec;

import java.lang.annotation.Annotation;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * One of the application's annotations seen as the agent's annotation type of the same name: each
 * member is read from the application's annotation and converted (enums by constant name, nested
 * annotations as views too, Jackson's own marker classes as the agent's classes of that name). A
 * member the application's older version lacks, or an enum constant it does not know, reads as the
 * member's default.
 */
final class AnnotationView implements InvocationHandler {

  private static final String JACKSON_ANNOTATIONS = "com.fasterxml.jackson.annotation.";

  private final Class<? extends Annotation> type;
  private final Annotation foreign;

  private AnnotationView(Class<? extends Annotation> type, Annotation foreign) {
    this.type = type;
    this.foreign = foreign;
  }

  static <A extends Annotation> A of(Class<A> type, Annotation foreign) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, new AnnotationView(type, foreign)));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] arguments) {
    return switch (method.getName()) {
      case "annotationType" -> type;
      case "equals" -> proxy == arguments[0];
      case "hashCode" -> System.identityHashCode(proxy);
      case "toString" -> foreign.toString();
      default -> member(method);
    };
  }

  private Object member(Method method) {
    Object value;
    try {
      value = foreign.annotationType().getMethod(method.getName()).invoke(foreign);
    } catch (NoSuchMethodException olderVersion) {
      return method.getDefaultValue();
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + method.getName() + " of " + foreign, e);
    }
    Object converted = converted(value, method.getReturnType());
    return converted == null ? method.getDefaultValue() : converted;
  }

  /** {@code value} as {@code target}, or null when it has no counterpart there. */
  private static Object converted(Object value, Class<?> target) {
    if (value instanceof Class<?> type) {
      return type.getName().startsWith(JACKSON_ANNOTATIONS) ? counterpart(type) : type;
    }
    if (target.isPrimitive() || target.isInstance(value)) {
      return value;
    }
    if (target.isEnum() && value instanceof Enum<?> constant) {
      return constantNamed(target, constant.name());
    }
    if (target.isAnnotation() && value instanceof Annotation annotation) {
      return of(target.asSubclass(Annotation.class), annotation);
    }
    if (target.isArray() && value.getClass().isArray()) {
      return convertedArray(value, target.getComponentType());
    }
    return null;
  }

  private static Object convertedArray(Object values, Class<?> component) {
    int length = Array.getLength(values);
    Object result = Array.newInstance(component, length);
    int kept = 0;
    for (int i = 0; i < length; i++) {
      Object converted = converted(Array.get(values, i), component);
      if (converted != null) {
        Array.set(result, kept++, converted);
      }
    }
    if (kept == length) {
      return result;
    }
    Object shorter = Array.newInstance(component, kept);
    System.arraycopy(result, 0, shorter, 0, kept);
    return shorter;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object constantNamed(Class<?> enumType, String name) {
    try {
      return Enum.valueOf((Class) enumType, name);
    } catch (IllegalArgumentException unknownToThisVersion) {
      return null;
    }
  }

  private static Object counterpart(Class<?> foreignClass) {
    try {
      return Class.forName(foreignClass.getName(), false, AnnotationView.class.getClassLoader());
    } catch (ClassNotFoundException unknownToThisVersion) {
      return null;
    }
  }
}
