package dev.bgtask.runtime.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * Merges the four places configuration comes from, strictly: agent arguments win over
 * {@code -Dbgtask.*} system properties, which win over {@code BGTASK_*} environment variables, which
 * win over the {@code config=} file. A key none of them knows is an error, never ignored.
 */
public final class ConfigSources {

  private static final String PROPERTY_PREFIX = "bgtask.";
  private static final String ENVIRONMENT_PREFIX = "BGTASK_";

  private final Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
  private final Map<ConfigKey, String> origins = new EnumMap<>(ConfigKey.class);

  private ConfigSources() {}

  /** Reads every source; throws {@link ConfigException} naming the first unknown key or unreadable file. */
  public static ConfigSources read(Map<String, String> agentArguments, Properties systemProperties, Map<String, String> environment) {
    ConfigSources sources = new ConfigSources();
    // Lowest precedence first, so each later source overwrites.
    sources.addEnvironment(environment);
    sources.addSystemProperties(systemProperties);
    sources.addAgentArguments(agentArguments);
    String file = sources.values.get(ConfigKey.CONFIG);
    if (file != null && !file.isBlank()) {
      ConfigSources withFile = new ConfigSources();
      withFile.addFile(Path.of(file), sources.origins.get(ConfigKey.CONFIG));
      withFile.values.putAll(sources.values);
      withFile.origins.putAll(sources.origins);
      return withFile;
    }
    return sources;
  }

  public String valueOf(ConfigKey key) {
    return values.getOrDefault(key, key.defaultValue());
  }

  /** Where a value came from, for error messages: "-javaagent arguments", "BGTASK_WORKERS", ... */
  public String originOf(ConfigKey key) {
    return origins.getOrDefault(key, "default");
  }

  private void addAgentArguments(Map<String, String> arguments) {
    arguments.forEach((name, value) -> put(name, value, "-javaagent arguments"));
  }

  private void addSystemProperties(Properties properties) {
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith(PROPERTY_PREFIX)) {
        put(name.substring(PROPERTY_PREFIX.length()), properties.getProperty(name), "-D" + name);
      }
    }
  }

  private void addEnvironment(Map<String, String> environment) {
    environment.forEach((name, value) -> {
      if (name.startsWith(ENVIRONMENT_PREFIX)) {
        ConfigKey key = ConfigKey.byEnvironmentName(name)
            .orElseThrow(() -> unknown(name, "environment variable " + name, true));
        values.put(key, value);
        origins.put(key, "environment variable " + name);
      }
    });
  }

  private void addFile(Path file, String namedBy) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new ConfigException("cannot read the config file " + file.toAbsolutePath()
          + " (named by " + namedBy + "): " + e);
    }
    for (String name : properties.stringPropertyNames()) {
      String bare = name.startsWith(PROPERTY_PREFIX) ? name.substring(PROPERTY_PREFIX.length()) : name;
      if (bare.equals(ConfigKey.CONFIG.key())) {
        throw new ConfigException("the config file " + file + " may not name another config file");
      }
      put(bare, properties.getProperty(name), "config file " + file);
    }
  }

  private void put(String name, String value, String origin) {
    ConfigKey key = ConfigKey.byKey(name).orElseThrow(() -> unknown(name, origin, false));
    values.put(key, value);
    origins.put(key, origin);
  }

  private static ConfigException unknown(String name, String origin, boolean environment) {
    String bare = environment ? name.substring(ENVIRONMENT_PREFIX.length()).replace("_", "") : name;
    String hint = ConfigKey.closestTo(bare)
        .map(k -> " (did you mean '" + (environment ? ConfigKey.byKey(k).orElseThrow().environmentName() : k) + "'?)")
        .orElse("");
    return new ConfigException("unknown configuration key '" + name + "' in " + origin + hint
        + "; valid keys: " + ConfigKey.validKeys());
  }
}
