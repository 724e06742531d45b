package dev.bgtask.agent.install;

import dev.bgtask.runtime.metrics.MicrometerBridge;
import dev.bgtask.runtime.task.ClassLoaders;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.function.Consumer;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.slf4j.LoggerFactory;

/**
 * The agent's hook into class loading. A class is handed to Byte Buddy only when its bytes mention
 * {@code @Background} ({@link AnnotationPrefilter}); then its {@code @Background} methods are
 * rewritten and its class loader remembered for the workers.
 *
 * <p>Byte Buddy's {@code AgentBuilder} is not used: its default set-up touches
 * {@code sun.misc.Unsafe}, which newer JDKs warn about at every start, and it loads far more
 * classes than rewriting one method needs.
 */
final class RewritingTransformer implements ClassFileTransformer {

  private final ClassLoader agentLoader = RewritingTransformer.class.getClassLoader();
  private final ClassLoaders classLoaders;
  private final Consumer<ClassLoader> micrometerLoaded;
  private volatile BackgroundMethodRewriter rewriter;

  /** {@code micrometerLoaded}: told of each class loader that defines Micrometer's {@code Metrics}, which the agent feeds its meters. */
  RewritingTransformer(ClassLoaders classLoaders, Consumer<ClassLoader> micrometerLoaded) {
    this.classLoaders = classLoaders;
    this.micrometerLoaded = micrometerLoaded;
  }

  /** Loads Byte Buddy ahead of the first {@code @Background} class, off the application's start. */
  void warmUp() {
    String sample = "dev.bgtask.agent.install.WarmUpSample"; // by name: the class itself is never loaded
    try {
      byte[] bytes = ClassFileLocator.ForClassLoader.of(agentLoader).locate(sample).resolve();
      // The agent's loader does not see the annotation on the bootstrap path as a resource; the system loader does.
      ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(sample, bytes),
          ClassFileLocator.ForClassLoader.of(agentLoader), ClassFileLocator.ForClassLoader.ofSystemLoader());
      rewriter().rewrite(TypePool.Default.of(locator).describe(sample).resolve(), locator);
    } catch (java.io.IOException | RuntimeException e) {
      // only the first real rewrite is slower then
      LoggerFactory.getLogger(RewritingTransformer.class).debug("warming the rewriter up failed: {}", e.toString());
    }
  }

  private BackgroundMethodRewriter rewriter() {
    BackgroundMethodRewriter built = rewriter;
    if (built == null) {
      synchronized (this) {
        built = rewriter;
        if (built == null) {
          built = new BackgroundMethodRewriter();
          rewriter = built;
        }
      }
    }
    return built;
  }

  @Override
  public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
    if (loader == null || loader == agentLoader || redefined != null || internalName == null) {
      return null;
    }
    if (internalName.equals(MicrometerBridge.METRICS_CLASS)) {
      micrometerLoaded.accept(loader);
      return null;
    }
    if (!AnnotationPrefilter.mentionsBackground(bytes)) {
      return null;
    }
    String className = internalName.replace('/', '.');
    try {
      ClassFileLocator locator = new ClassFileLocator.Compound(
          ClassFileLocator.Simple.of(className, bytes), ClassFileLocator.ForClassLoader.of(loader));
      byte[] rewritten = rewriter().rewrite(TypePool.Default.of(locator).describe(className).resolve(), locator);
      if (rewritten != null) {
        classLoaders.remember(className, loader);
      }
      return rewritten;
    } catch (Throwable e) {
      // A transformer must never throw: the JVM would drop the error and load the class unchanged.
      LoggerFactory.getLogger(RewritingTransformer.class).error("cannot rewrite the @Background methods of {}; they would run synchronously: {}", className, e.toString());
      return null;
    }
  }
}
