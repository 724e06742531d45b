package dev.bgtask.e2e.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A behaviour suite that runs once per database under test ({@link TestDatabase#underTest()}),
 * each test with databases of its own, dropped after it.
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.bgtask.e2e.support.TestDatabase#underTest")
public abstract class OnEveryDatabase {

  @Parameter
  protected TestDatabase database;

  @AfterEach
  void dropDatabases() {
    database.dropAll();
  }
}
