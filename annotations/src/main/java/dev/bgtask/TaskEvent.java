package dev.bgtask;

/**
 * What a {@link TaskListener} is told about a task: its id, name ({@code @Background(name)} or
 * {@code Class.method}), the method, queue, and which attempt this is (0 before the first).
 */
public record TaskEvent(long id, String name, String method, String queue, int attempt, int maxAttempts) {}
