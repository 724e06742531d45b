package dev.bgtask.agent.install;

import static net.bytebuddy.matcher.ElementMatchers.is;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.bgtask.runtime.task.BackgroundAttributes;
import dev.bgtask.runtime.task.TaskMethod;
import java.util.Optional;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.ExceptionMethod;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.StubMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebases a class so each valid {@code @Background} method becomes an enqueue, its original body
 * moved to the private {@code name$bgtask} (a stable name, the same in every JVM). An invalid one
 * (not void, no receiver a worker could make) is reported at class load and made to throw the same
 * message at every call: it never silently runs inline.
 */
final class BackgroundMethodRewriter {

  private static final Logger log = LoggerFactory.getLogger(BackgroundMethodRewriter.class);

  private final ByteBuddy byteBuddy = new ByteBuddy();
  private final Implementation enqueue = Advice.to(EnqueueAdvice.class).wrap(StubMethod.INSTANCE);

  /** The rewritten class file, or {@code null} when the class declares no {@code @Background} method. */
  byte[] rewrite(TypeDescription type, ClassFileLocator locator) {
    MethodList<MethodDescription.InDefinedShape> annotated =
        type.getDeclaredMethods().filter(isAnnotatedWith(named(BackgroundAttributes.ANNOTATION)));
    if (annotated.isEmpty()) {
      return null;
    }
    DynamicType.Builder<?> builder = byteBuddy.rebase(type, locator, method -> method.getInternalName() + TaskMethod.BODY_SUFFIX);
    for (MethodDescription.InDefinedShape method : annotated) {
      Optional<String> problem = problemWith(type, method);
      if (problem.isEmpty()) {
        builder = builder.method(is(method)).intercept(enqueue);
      } else {
        log.error(problem.get());
        if (!method.isAbstract() && !method.isNative()) {
          builder = builder.method(is(method)).intercept(ExceptionMethod.throwing(IllegalStateException.class, problem.get()));
        }
      }
    }
    return builder.make().getBytes();
  }

  static Optional<String> problemWith(TypeDescription type, MethodDescription method) {
    String name = type.getName() + "." + method.getName();
    if (method.isAbstract() || method.isNative()) {
      return Optional.of("@Background method " + name + " has no body to run later; annotate the implementing method instead");
    }
    if (!method.getReturnType().represents(void.class)) {
      return Optional.of("@Background method " + name + " returns " + method.getReturnType().getTypeName()
          + "; a background task has no caller to return to, so it must return void");
    }
    if (!method.isStatic() && (type.isAnonymousType() || type.isLocalType())) {
      return Optional.of("@Background method " + name + " is an instance method of an anonymous or local class;"
          + " a worker cannot make the instance it runs on");
    }
    return Optional.empty();
  }
}
