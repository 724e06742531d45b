package dev.bgtask.runtime.task;

import dev.bgtask.runtime.codec.ArgumentCodec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Resolves {@code @Background} methods once and keeps them, for the enqueue path and for workers. */
public final class TaskMethods {

  private final ArgumentCodec codec;
  private final ClassLoaders classLoaders;
  private final ClassValue<Map<String, TaskMethod>> byClass = new ClassValue<>() {
    @Override
    protected Map<String, TaskMethod> computeValue(Class<?> type) {
      return new ConcurrentHashMap<>();
    }
  };

  public ClassLoaders classLoaders() {
    return classLoaders;
  }

  public TaskMethods(ArgumentCodec codec, ClassLoaders classLoaders) {
    this.codec = codec;
    this.classLoaders = classLoaders;
  }

  /** For a call of a rewritten method: {@code signature} is its name followed by its descriptor. */
  public TaskMethod forCall(Class<?> type, String signature) {
    return byClass.get(type).computeIfAbsent(signature, s -> {
      int paren = s.indexOf('(');
      return TaskMethod.resolve(type, s.substring(0, paren), s.substring(paren), codec);
    });
  }

  /** For a stored row; throws {@link TaskMethodException} when it names nothing runnable. */
  public TaskMethod forRow(MethodIdentity identity) {
    Class<?> type;
    try {
      type = classLoaders.load(identity.className());
    } catch (ClassNotFoundException | LinkageError e) {
      throw TaskMethodException.classUnloadable("class " + identity.className() + " cannot be loaded: " + e);
    }
    return forCall(type, identity.methodName() + identity.descriptor());
  }
}
