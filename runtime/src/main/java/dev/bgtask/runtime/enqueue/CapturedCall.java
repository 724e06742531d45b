package dev.bgtask.runtime.enqueue;

/** One call of a rewritten {@code @Background} method, as the rewritten method reported it. */
public record CapturedCall(Class<?> declaringType, String signature, Object receiver, Object[] arguments) {}
