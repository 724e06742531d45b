package dev.bgtask.runtime.task;

/**
 * The stable, persisted identity of a {@code @Background} method: declaring class, method name and
 * JVM parameter descriptor. Never a generated name.
 */
public record MethodIdentity(String className, String methodName, String descriptor) {

  /** {@code send(Ljava/lang/String;)V} as produced by the agent's rewritten methods. */
  public static MethodIdentity of(Class<?> declaringType, String signature) {
    int paren = signature.indexOf('(');
    return new MethodIdentity(declaringType.getName(), signature.substring(0, paren), signature.substring(paren));
  }

  public String displayName() {
    return className + "." + methodName;
  }

  @Override
  public String toString() {
    return className + "." + methodName + descriptor;
  }
}
