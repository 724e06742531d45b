package dev.bgtask.runtime.cli;

import dev.bgtask.runtime.config.Settings;
import dev.bgtask.runtime.store.Database;
import dev.bgtask.runtime.store.SchemaMigrator;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "migrate", description = "Creates the task tables, or brings them up to this agent's schema version;"
    + " worker JVMs of an older agent refuse to start on them afterwards.")
final class MigrateCommand implements Runnable {

  @Mixin
  TaskDatabaseOptions options;

  @Override
  public void run() {
    Settings settings = options.settings();
    int[] versions;
    try (Database database = Database.connect(settings)) {
      SchemaMigrator migrator = new SchemaMigrator(database, settings.tablePrefix());
      versions = database.openExclusively(() -> new int[] {migrator.installedVersion(), migrator.migrate()});
    }
    if (options.json) {
      options.printJson(Map.of("action", "migrated", "from", versions[0], "to", versions[1]));
    } else {
      options.out().println(versions[0] == versions[1] ? "the task tables are at schema version " + versions[1] + " already"
          : "the task tables went from schema version " + versions[0] + " to " + versions[1]);
    }
  }
}
