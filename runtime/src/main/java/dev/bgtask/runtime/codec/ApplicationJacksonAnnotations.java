package dev.bgtask.runtime.codec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.AnnotationMap;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;

/**
 * Reads the application's own Jackson annotations ({@code @JsonIgnore}, {@code @JsonProperty},
 * {@code @JsonCreator}, {@code @JsonFormat}, {@code @JsonValue} and the rest of
 * jackson-annotations), whatever version of them the application carries.
 *
 * <p>The agent's Jackson lives in its hidden class loader, so the annotations on an application
 * class are other {@code Class} objects than the ones it asks for and would all be ignored. This
 * introspector finds them by name and hands Jackson an {@link AnnotationView} of each.
 *
 * <p>{@code @JsonTypeInfo} is refused, not read: it would let a stored row name the class a worker
 * builds, and arguments are only ever read as the method's declared types.
 */
final class ApplicationJacksonAnnotations extends JacksonAnnotationIntrospector {

  private static final long serialVersionUID = 1L;
  private static final String BUNDLE_MARKER = "com.fasterxml.jackson.annotation.JacksonAnnotationsInside";

  @Override
  protected <A extends Annotation> A _findAnnotation(Annotated annotated, Class<A> type) {
    A own = super._findAnnotation(annotated, type);
    if (own != null) {
      return own;
    }
    Annotation foreign = foreignNamed(annotated, type);
    if (foreign == null) {
      return null;
    }
    A view = AnnotationView.of(type, foreign);
    if (view instanceof JsonTypeInfo typeInfo && typeInfo.use() != JsonTypeInfo.Id.NONE) {
      throw new IllegalArgumentException(annotated.getName() + " is annotated @JsonTypeInfo: a task's arguments are"
          + " stored without type names and read back only as the method's declared parameter types;"
          + " declare a concrete type, or pass an identifier and load the object in the task");
    }
    return view;
  }

  @Override
  protected boolean _hasAnnotation(Annotated annotated, Class<? extends Annotation> type) {
    return super._hasAnnotation(annotated, type) || foreignNamed(annotated, type) != null;
  }

  @Override
  protected boolean _hasOneOf(Annotated annotated, Class<? extends Annotation>[] types) {
    if (super._hasOneOf(annotated, types)) {
      return true;
    }
    for (Class<? extends Annotation> type : types) {
      if (foreignNamed(annotated, type) != null) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean isAnnotationBundle(Annotation annotation) {
    if (super.isAnnotationBundle(annotation)) {
      return true;
    }
    for (Annotation meta : annotation.annotationType().getDeclaredAnnotations()) {
      if (meta.annotationType().getName().equals(BUNDLE_MARKER)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String[] findEnumValues(MapperConfig<?> config, AnnotatedClass type, Enum<?>[] constants, String[] names) {
    return withForeignNames(constants, super.findEnumValues(config, type, constants, names));
  }

  @Override
  @SuppressWarnings("deprecation")
  public String[] findEnumValues(Class<?> type, Enum<?>[] constants, String[] names) {
    return withForeignNames(constants, super.findEnumValues(type, constants, names));
  }

  /** Enum constants renamed by the application's {@code @JsonProperty}. */
  private static String[] withForeignNames(Enum<?>[] constants, String[] names) {
    for (int i = 0; i < constants.length; i++) {
      try {
        Field field = constants[i].getDeclaringClass().getField(constants[i].name());
        Annotation foreign = foreignNamed(field.getDeclaredAnnotations(), JsonProperty.class);
        if (foreign != null) {
          String name = AnnotationView.of(JsonProperty.class, foreign).value();
          if (!name.isEmpty()) {
            names[i] = name;
          }
        }
      } catch (NoSuchFieldException notAConstantField) {
        // a constant's field always exists; nothing to rename otherwise
      }
    }
    return names;
  }

  private static Annotation foreignNamed(Annotated annotated, Class<? extends Annotation> type) {
    for (Annotation annotation : annotationsOf(annotated)) {
      if (isForeign(annotation, type)) {
        return annotation;
      }
    }
    return null;
  }

  /** Everything Jackson collected on {@code annotated}; a class's own list is only reachable through its map. */
  private static Iterable<Annotation> annotationsOf(Annotated annotated) {
    if (annotated instanceof AnnotatedClass type) {
      return type.getAnnotations() instanceof AnnotationMap collected
          ? collected.annotations()
          : java.util.List.of(type.getAnnotated().getAnnotations());
    }
    return annotated.annotations();
  }

  private static Annotation foreignNamed(Annotation[] annotations, Class<? extends Annotation> type) {
    for (Annotation annotation : annotations) {
      if (isForeign(annotation, type)) {
        return annotation;
      }
    }
    return null;
  }

  private static boolean isForeign(Annotation annotation, Class<? extends Annotation> type) {
    Class<? extends Annotation> annotationType = annotation.annotationType();
    return annotationType != type && annotationType.getName().equals(type.getName());
  }
}
