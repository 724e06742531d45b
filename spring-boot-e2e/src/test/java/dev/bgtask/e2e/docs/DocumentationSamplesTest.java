package dev.bgtask.e2e.docs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every {@code ```java} block of the repository's Markdown (README, CHANGELOG, docs/, the
 * examples' READMEs) against the real API, Spring Boot and jackson-annotations, so no sample in the
 * documentation can drift from the code. The blocks of one file compile together; see
 * {@link JavaSample} for how a block becomes a source file.
 */
class DocumentationSamplesTest {

  private static final Path REPOSITORY = Path.of(System.getProperty("bgtask.e2e.repository", "..")).toAbsolutePath().normalize();

  @TempDir
  Path classes;

  @Test
  void theReadmeAndTheReferenceCarryJavaSamples() throws IOException {
    assertFalse(JavaSample.allIn(REPOSITORY.resolve("README.md")).isEmpty(), "the README shows code");
    assertFalse(JavaSample.allIn(REPOSITORY.resolve("docs/reference.md")).isEmpty(), "the reference shows code");
  }

  @TestFactory
  Stream<DynamicTest> everyJavaSampleCompiles() throws IOException {
    List<Path> documents = markdownFiles();
    assertTrue(documents.size() >= 5, "found only " + documents);
    return documents.stream().map(document -> DynamicTest.dynamicTest(REPOSITORY.relativize(document).toString(),
        () -> assertCompiles(document)));
  }

  private void assertCompiles(Path document) throws IOException {
    List<JavaSample> samples = JavaSample.allIn(document);
    if (samples.isEmpty()) {
      return;
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    assertNotNull(compiler, "the tests need a JDK, not a JRE");
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Path output = Files.createDirectories(classes.resolve(document.getFileName().toString() + "-" + samples.hashCode()));
    try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      List<String> options = List.of("-proc:none", "-d", output.toString(), "-classpath", testClasspath(), "-Xlint:none");
      boolean compiled = compiler.getTask(new StringWriter(), files, diagnostics, options, null,
          samples.stream().map(JavaSample::source).toList()).call();
      if (!compiled) {
        throw new AssertionError(REPOSITORY.relativize(document) + " has Java samples that do not compile:\n" + report(diagnostics));
      }
    }
  }

  private static String report(DiagnosticCollector<JavaFileObject> diagnostics) {
    StringBuilder report = new StringBuilder();
    for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
      if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
        JavaSample.Source source = (JavaSample.Source) diagnostic.getSource();
        report.append("  ").append(source == null ? "?" : source.describe(diagnostic.getLineNumber()))
            .append(": ").append(diagnostic.getMessage(Locale.ROOT)).append('\n');
      }
    }
    return report.toString();
  }

  private static String testClasspath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  private static List<Path> markdownFiles() throws IOException {
    List<Path> documents = new ArrayList<>();
    documents.add(REPOSITORY.resolve("README.md"));
    documents.add(REPOSITORY.resolve("CHANGELOG.md"));
    for (String folder : List.of("docs", "examples")) {
      try (Stream<Path> files = Files.walk(REPOSITORY.resolve(folder))) {
        files.filter(file -> file.toString().endsWith(".md"))
            .filter(file -> !file.toString().contains("/target/") && !file.toString().contains("/node_modules/"))
            .sorted().forEach(documents::add);
      }
    }
    return documents;
  }
}
