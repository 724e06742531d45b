package dev.bgtask.runtime.task;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.bgtask.runtime.codec.ArgumentCodec;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.Arrays;

/**
 * A resolved {@code @Background} method: what the agent rewrote (the enqueue) and the original body
 * the agent moved to {@code name$bgtask}, which workers invoke directly.
 */
public final class TaskMethod {

  /** Suffix of the private method that holds a rewritten method's original body. */
  public static final String BODY_SUFFIX = "$bgtask";

  private final MethodIdentity identity;
  private final Method declared;
  private final Method body;
  private final BackgroundAttributes attributes;
  private final ObjectWriter[] parameterWriters;
  private final ObjectReader[] parameterReaders;
  /** Why a parameter's type cannot be written or read (a {@code @JsonTypeInfo} type, say), or null. */
  private final RuntimeException[] unusableParameters;
  private final boolean takesOnlyValues;

  private TaskMethod(MethodIdentity identity, Method declared, Method body, BackgroundAttributes attributes,
      ObjectWriter[] parameterWriters, ObjectReader[] parameterReaders, RuntimeException[] unusableParameters) {
    this.takesOnlyValues = Arrays.stream(declared.getParameterTypes()).allMatch(TaskMethod::isValueType);
    this.identity = identity;
    this.declared = declared;
    this.body = body;
    this.attributes = attributes;
    this.parameterWriters = parameterWriters;
    this.parameterReaders = parameterReaders;
    this.unusableParameters = unusableParameters;
  }

  /** Resolves and checks a method; throws {@link TaskMethodException} when it may not or cannot run as a task. */
  static TaskMethod resolve(Class<?> type, String methodName, String descriptor, ArgumentCodec codec) {
    MethodIdentity identity = new MethodIdentity(type.getName(), methodName, descriptor);
    Method declared = findDeclared(type, methodName, descriptor)
        .orElseThrow(() -> TaskMethodException.retryable(identity + " does not exist in the loaded code"));
    BackgroundAttributes attributes = BackgroundAttributes.of(declared)
        .orElseThrow(() -> TaskMethodException.refused(identity + " is not annotated @Background; refusing to run it"));
    if (declared.getReturnType() != void.class) {
      throw TaskMethodException.refused(identity + " does not return void; @Background methods must");
    }
    Method body;
    try {
      body = type.getDeclaredMethod(methodName + BODY_SUFFIX, declared.getParameterTypes());
      body.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw TaskMethodException.refused(identity + " was not rewritten by the agent"
          + " (was " + type.getName() + " loaded before the agent started?)");
    }
    Type[] generic = declared.getGenericParameterTypes();
    ObjectWriter[] writers = new ObjectWriter[generic.length];
    ObjectReader[] readers = new ObjectReader[generic.length];
    RuntimeException[] unusable = new RuntimeException[generic.length];
    for (int i = 0; i < generic.length; i++) {
      try {
        JavaType declaredType = codec.typeOf(generic[i]);
        writers[i] = codec.writerFor(declaredType);
        readers[i] = codec.readerFor(declaredType);
      } catch (RuntimeException e) {
        // Reported where the parameter is written or read, which names the method and the parameter.
        unusable[i] = e;
      }
    }
    return new TaskMethod(identity, declared, body, attributes, writers, readers, unusable);
  }

  private static java.util.Optional<Method> findDeclared(Class<?> type, String methodName, String descriptor) {
    for (Method method : type.getDeclaredMethods()) {
      if (method.getName().equals(methodName) && JvmDescriptors.of(method).equals(descriptor)) {
        return java.util.Optional.of(method);
      }
    }
    return java.util.Optional.empty();
  }

  public MethodIdentity identity() {
    return identity;
  }

  public Class<?> declaringClass() {
    return declared.getDeclaringClass();
  }

  public boolean isStatic() {
    return Modifier.isStatic(declared.getModifiers());
  }

  public BackgroundAttributes attributes() {
    return attributes;
  }

  /** The task name: the annotation's {@code name}, or {@code fully.qualified.Class.method}. */
  public String taskName() {
    return attributes.name().isEmpty() ? identity.displayName() : attributes.name();
  }

  public String displayName() {
    return identity.displayName();
  }

  /** The original body, accessible, for workers and {@code now}. */
  public Method body() {
    return body;
  }

  public int parameterCount() {
    return parameterWriters.length;
  }

  /** Writes parameter {@code index} as its declared generic type. */
  public ObjectWriter parameterWriter(int index) {
    throwIfUnusable(index);
    return parameterWriters[index];
  }

  /** Reads parameter {@code index} as its declared generic type, and nothing else. */
  public ObjectReader parameterReader(int index) {
    throwIfUnusable(index);
    return parameterReaders[index];
  }

  private void throwIfUnusable(int index) {
    if (unusableParameters[index] != null) {
      throw new IllegalArgumentException(unusableParameters[index].getMessage(), unusableParameters[index]);
    }
  }

  /**
   * True when every parameter is a primitive, a boxed primitive or a {@code String}: immutable
   * values that come back equal from their JSON, so a task started in the calling JVM may take the
   * call's own arguments instead of decoding the stored copy. Anything else may change after the
   * call returns, and its body must see the copy.
   */
  public boolean takesOnlyValues() {
    return takesOnlyValues;
  }

  private static boolean isValueType(Class<?> type) {
    return type.isPrimitive() || type == String.class || type == Boolean.class || type == Character.class
        || type == Byte.class || type == Short.class || type == Integer.class || type == Long.class
        || type == Float.class || type == Double.class;
  }

  /** "parameter 2 'recipients' (java.util.List<Recipient>)", for error messages. */
  public String describeParameter(int index) {
    Parameter parameter = declared.getParameters()[index];
    String name = parameter.isNamePresent() ? " '" + parameter.getName() + "'" : "";
    return "parameter " + (index + 1) + name + " (" + declared.getGenericParameterTypes()[index].getTypeName() + ")";
  }
}
