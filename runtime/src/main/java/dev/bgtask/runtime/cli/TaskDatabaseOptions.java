package dev.bgtask.runtime.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.bgtask.runtime.config.Settings;
import dev.bgtask.runtime.store.Database;
import dev.bgtask.runtime.store.SchemaMigrator;
import dev.bgtask.runtime.store.TaskAdmin;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every management command shares: which database, JSON or text, where output goes. */
final class TaskDatabaseOptions {

  private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--config", description = "a .properties file with the agent's keys (url, user, password, tablePrefix)")
  String config;

  @Option(names = "--json", description = "machine-readable output")
  boolean json;

  /** The configuration the command works with: agent keys from the file, system properties and environment. */
  Settings settings() {
    return settings(Map.of());
  }

  /** The configuration, with {@code overrides} (agent keys) taking precedence over every other source. */
  Settings settings(Map<String, String> overrides) {
    Map<String, String> arguments = new HashMap<>();
    if (config != null) {
      arguments.put("config", config);
    }
    arguments.put("workers", "0");
    arguments.putAll(overrides);
    return Settings.load(arguments);
  }

  /**
   * Opens the database the configuration names and runs {@code work}, which changes tasks: the
   * schema is never changed, and must be at this agent's version.
   */
  <T> T withTasks(Function<TaskAdmin, T> work) {
    return opened(settings(), SchemaMigrator::checkWritable, database -> work.apply(new TaskAdmin(database)));
  }

  /** Opens the database the configuration names and runs {@code work}, which only reads: the schema is never changed. */
  <T> T readingTasks(Function<Database, T> work) {
    return readingDatabase(settings(), work);
  }

  /** Opens the database {@code settings} name, refuses task tables older than this agent's, runs {@code work}, and closes it. */
  static <T> T readingDatabase(Settings settings, Function<Database, T> work) {
    return opened(settings, SchemaMigrator::checkReadable, work);
  }

  /** Applies {@code check} to the task tables of {@code database}, which refuses a schema the command may not use. */
  static void checkSchema(Database database, Settings settings, Consumer<SchemaMigrator> check) {
    database.openExclusively(() -> {
      check.accept(new SchemaMigrator(database, settings.tablePrefix()));
      return null;
    });
  }

  private static <T> T opened(Settings settings, Consumer<SchemaMigrator> check, Function<Database, T> work) {
    try (Database database = Database.connect(settings)) {
      checkSchema(database, settings, check);
      return work.apply(database);
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  void printJson(Object value) {
    try {
      out().println(JSON.writeValueAsString(value));
    } catch (Exception e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Applies a change to one task and reports it, as JSON or as {@code done}; when {@code change}
   * finds no task it may apply to, the command fails with {@code refusal}.
   */
  void changeOne(long id, Function<TaskAdmin, Boolean> change, String action, String refusal, String done) {
    if (!withTasks(change)) {
      throw new IllegalArgumentException(refusal);
    }
    if (json) {
      printJson(Map.of("action", action, "id", id));
    } else {
      out().println(done);
    }
  }
}
