package dev.bgtask.agent.install;

import dev.bgtask.internal.TaskBridge;
import net.bytebuddy.asm.Advice;

/**
 * The new body of every {@code @Background} method, inlined into the application's class. It may
 * reference only what every class loader can see: the bootstrap-visible {@link TaskBridge}.
 */
final class EnqueueAdvice {

  private EnqueueAdvice() {}

  @Advice.OnMethodEnter
  static void enqueue(@Advice.Origin Class<?> declaringType, @Advice.Origin("#m#d") String signature,
      @Advice.This(optional = true) Object receiver, @Advice.AllArguments Object[] arguments) {
    TaskBridge.enqueue(declaringType, signature, receiver, arguments);
  }
}
