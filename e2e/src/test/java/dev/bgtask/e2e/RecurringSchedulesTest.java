package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.OnEveryDatabase;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.TaskTables;
import dev.bgtask.e2e.support.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecurringSchedulesTest extends OnEveryDatabase {

  @TempDir
  Path directory;

  @Test
  void cronScheduleRegisteredByTwoJvmsAtOnceRunsEachFireTimeOnce() {
    ChildJvm first = database.jvm(directory).named("first").agent("workers=2,sleep=200ms").start("dev.bgtask.e2e.app.OptionsApp", "recurring");
    ChildJvm second = database.jvm(directory).named("second").agent("workers=2,sleep=200ms").start("dev.bgtask.e2e.app.OptionsApp", "recurring");
    first.awaitOutput("serving", Duration.ofSeconds(30));
    second.awaitOutput("serving", Duration.ofSeconds(30));
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> results.all().size() >= 4, Duration.ofSeconds(30), () -> first.describe() + second.describe());
    assertEquals(0, first.stop(), first.describe());
    assertEquals(0, second.stop(), second.describe());

    assertTrue(first.stdout().contains("refused bad cron: invalid cron expression '0 25 * * *'"), first.describe());
    TaskTables tables = database.tables(directory);
    assertEquals(1, tables.count("SELECT COUNT(*) FROM bgtask_recurring_schedule"), "one schedule, registered twice");
    String stored = "(SELECT due_at FROM bgtask_task UNION ALL SELECT due_at FROM bgtask_completed_task) AS fired";
    assertEquals(tables.count("SELECT COUNT(*) FROM " + stored), tables.count("SELECT COUNT(DISTINCT due_at) FROM " + stored),
        "no fire time stored twice");
    // A run that began while the JVM owning the H2 file was shutting down cannot record its outcome:
    // it stays claimed. Every body run is either completed or such a claim; a duplicate would be neither.
    long ran = tables.count("SELECT COUNT(*) FROM bgtask_completed_task WHERE outcome = 'SUCCEEDED'")
        + tables.count("SELECT COUNT(*) FROM bgtask_task WHERE claim_token IS NOT NULL");
    assertEquals(ran, results.all().size(), () -> "each stored fire time ran once; " + results.all() + "\nTASKS " + tables.rows("SELECT id, due_at, claim_token, claimed_by FROM bgtask_task")
            + "\nDONE " + tables.rows("SELECT id, due_at, claimed_by, finished_at FROM bgtask_completed_task")
            + "\nSCHEDULE " + tables.rows("SELECT next_fire_at FROM bgtask_recurring_schedule"));
  }
}
