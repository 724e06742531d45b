package dev.bgtask.e2e.docs;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.SimpleJavaFileObject;

/**
 * One {@code ```java} block of a Markdown file, as a Java source. A block whose first line of code
 * begins a compilation unit ({@code package}, {@code import}, an annotation, or a type declaration)
 * is compiled as written; any other block is a run of statements, compiled as the body of a method
 * of a class of its own. Every block gets the imports a reader assumes.
 */
record JavaSample(Path document, int line, String code) {

  static final String IMPORTS = "import dev.bgtask.*; import java.time.*; import java.util.*; import java.sql.*;"
      + " import javax.sql.DataSource;";
  private static final Pattern UNIT_START =
      Pattern.compile("^(package|import|@|public|class|final|abstract|sealed|record|interface|enum)\\b.*");
  private static final Pattern PUBLIC_TYPE =
      Pattern.compile("(?m)^public\\s+(?:(?:final|abstract|sealed|non-sealed)\\s+)*(?:class|record|interface|enum|@interface)\\s+(\\w+)");

  static List<JavaSample> allIn(Path document) throws IOException {
    List<String> lines = Files.readAllLines(document);
    List<JavaSample> samples = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals("```java")) {
        int start = i + 1;
        StringBuilder code = new StringBuilder();
        for (i = start; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
          code.append(lines.get(i)).append('\n');
        }
        samples.add(new JavaSample(document, start + 1, code.toString()));
      }
    }
    return samples;
  }

  boolean isCompilationUnit() {
    return code.lines().map(String::strip).filter(text -> !text.isEmpty() && !text.startsWith("//"))
        .findFirst().map(first -> UNIT_START.matcher(first).matches()).orElse(false);
  }

  Source source() {
    if (isCompilationUnit()) {
      Matcher publicType = PUBLIC_TYPE.matcher(code);
      String name = publicType.find() ? publicType.group(1) : "Sample" + line;
      Matcher packageLine = Pattern.compile("(?m)^package [\\w.]+;").matcher(code);
      if (packageLine.find()) {
        String text = code.substring(0, packageLine.end()) + " " + IMPORTS + code.substring(packageLine.end());
        String folder = packageLine.group().substring(8, packageLine.group().length() - 1).replace('.', '/');
        return new Source(this, folder + "/" + name, text, 0);
      }
      return new Source(this, name, IMPORTS + "\n" + code, 1);
    }
    String text = IMPORTS + "\nclass Sample" + line + " {\n  void run() throws Exception {\n" + code + "  }\n}\n";
    return new Source(this, "Sample" + line, text, 3);
  }

  /** The block as a file the compiler reads; {@code preamble} lines come before the block's first line. */
  static final class Source extends SimpleJavaFileObject {
    private final JavaSample sample;
    private final String text;
    private final int preamble;

    Source(JavaSample sample, String path, String text, int preamble) {
      super(URI.create("string:///" + path + ".java"), Kind.SOURCE);
      this.sample = sample;
      this.text = text;
      this.preamble = preamble;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }

    /** Where a compiler's line falls in the Markdown file. */
    String describe(long compilerLine) {
      long line = sample.line() + Math.max(0, compilerLine - 1 - preamble);
      return sample.document().getFileName() + ":" + line;
    }
  }
}
