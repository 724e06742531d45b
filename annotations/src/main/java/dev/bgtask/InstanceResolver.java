package dev.bgtask;

/**
 * Gives workers the object an instance method's task runs on. The default calls the class's
 * no-argument constructor; register your own (a DI container lookup, say) with
 * {@link BackgroundTasks#useInstanceResolver} or as a {@code META-INF/services/dev.bgtask.InstanceResolver}
 * service. The receiver of the original call is never serialised.
 */
@FunctionalInterface
public interface InstanceResolver {

  /** An instance of {@code type} to run the task on. */
  Object instanceOf(Class<?> type) throws Exception;
}
