package dev.bgtask.runtime.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.bgtask.runtime.task.TaskMethod;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Type;

/**
 * Turns a call's arguments into the JSON array stored on the task row, and back.
 *
 * <p>Both directions work only against the method's declared generic parameter types: no class
 * name is ever written or read, so a row cannot make a worker instantiate a class the method does
 * not declare.
 */
public final class ArgumentCodec {

  private final ObjectMapper mapper = JsonMapper.builder()
      .annotationIntrospector(new ApplicationJacksonAnnotations())
      .addModule(new JavaTimeModule())
      .addModule(new Jdk8Module())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();

  public JavaType typeOf(Type declared) {
    return mapper.getTypeFactory().constructType(declared);
  }

  /** Made once per parameter when a method is resolved: immutable, and reused by every call and run. */
  public ObjectWriter writerFor(JavaType type) {
    return mapper.writerFor(type);
  }

  public ObjectReader readerFor(JavaType type) {
    return mapper.readerFor(type);
  }

  /** The arguments as a JSON array; throws {@link IllegalArgumentException} naming the first bad parameter. */
  public String encode(TaskMethod method, Object[] arguments) {
    StringWriter out = new StringWriter(64);
    try (JsonGenerator json = mapper.createGenerator(out)) {
      json.writeStartArray();
      for (int i = 0; i < arguments.length; i++) {
        try {
          method.parameterWriter(i).writeValue(json, arguments[i]);
        } catch (IOException | RuntimeException | StackOverflowError e) {
          throw new IllegalArgumentException("cannot store a task for " + method.displayName() + ": "
              + method.describeParameter(i) + " cannot be written as JSON: " + rootMessage(e), e);
        }
      }
      json.writeEndArray();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot store a task for " + method.displayName() + ": " + e.getMessage(), e);
    }
    return out.toString();
  }

  /**
   * Rebuilds the arguments; throws {@link ArgumentMismatchException} when the JSON no longer fits.
   * Reads value by value from the stream, never through a tree, which would turn decimals into
   * doubles and lose their exact value and scale.
   */
  public Object[] decode(TaskMethod method, String json) {
    int expected = method.parameterCount();
    Object[] arguments = new Object[expected];
    try (JsonParser parser = mapper.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw countMismatch(method, json);
      }
      for (int i = 0; i < expected; i++) {
        if (parser.nextToken() == JsonToken.END_ARRAY) {
          throw countMismatch(method, json);
        }
        try {
          arguments[i] = method.parameterReader(i).readValue(parser);
        } catch (IOException | RuntimeException e) {
          throw new ArgumentMismatchException("the stored value for " + method.describeParameter(i)
              + " no longer fits its type: " + rootMessage(e));
        }
      }
      if (parser.nextToken() != JsonToken.END_ARRAY) {
        throw countMismatch(method, json);
      }
    } catch (IOException e) {
      throw new ArgumentMismatchException("the stored arguments are not valid JSON: " + rootMessage(e));
    }
    return arguments;
  }

  private static ArgumentMismatchException countMismatch(TaskMethod method, String json) {
    return new ArgumentMismatchException("the stored arguments " + abbreviate(json) + " do not fit "
        + method.displayName() + ", which takes " + method.parameterCount() + " argument(s)");
  }

  private static String rootMessage(Throwable e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static String abbreviate(String json) {
    return json.length() <= 200 ? json : json.substring(0, 200) + "...";
  }
}
