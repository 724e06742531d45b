package dev.bgtask.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.LongStream;
import dev.bgtask.runtime.config.ConfigSources;
import dev.bgtask.runtime.config.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A MariaDB claim sends the start of its transaction with its locking read and the commit with its
 * mark, on a connection that stays in auto-commit mode: two round trips, and no statement switching
 * auto-commit. However it fails in between, it leaves no transaction open and no row locked. On the
 * real server.
 */
class MariaDbClaimTransactionTest {

  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

  private final ServerDatabase server = ServerDatabase.MARIADB;
  private Database database;
  private TaskStore store;
  private Connection admin;

  /** One pooled connection, made at once: no connection the pool adds later counts its own settings in a test's figures. */
  @BeforeEach
  void connect() throws SQLException {
    server.connect().close();
    database = Database.connect(Settings.from(ConfigSources.read(
        Map.of("url", server.url(), "user", "root", "poolSize", "1"), new Properties(), Map.of())));
    new SchemaMigrator(database, "bgtask_").migrate();
    store = new TaskStore(database);
    admin = DriverManager.getConnection(server.url(), "root", "");
  }

  @AfterEach
  void close() throws SQLException {
    admin.close();
    database.close();
    server.drop();
  }

  @Test
  void aClaimCommitsOnceAndSwitchesNoAutoCommit() throws SQLException {
    LongStream.range(0, 40).forEach(i -> insert("t" + i));
    store.claim(1, List.of(), "warm-up", NOW); // the pool's connections are made before counting
    long switchesBefore = globalStatus("Com_set_option");
    long commitsBefore = globalStatus("Com_commit");

    int claims = 0;
    int claimed = 0;
    while (claimed < 39) {
      claimed += store.claim(5, List.of(), "worker-1", NOW).size();
      claims++;
    }

    assertEquals(0, globalStatus("Com_set_option") - switchesBefore, "statements that switch auto-commit");
    assertEquals(claims, globalStatus("Com_commit") - commitsBefore, "one commit per claim");
    assertEquals(39, InMemoryDatabase.count(database, "SELECT COUNT(*) FROM bgtask_task WHERE claimed_by = 'worker-1'"));
  }

  @Test
  void aClaimThatFailsBetweenItsStatementsLeavesNoTransactionOpenAndNoRowLocked() throws SQLException {
    long id = insert("locked-then-failed");

    DatabaseUnavailableException failure = assertThrows(DatabaseUnavailableException.class,
        () -> database.inSelfCommittingTransaction(MariaDbMapper.class, mapper -> {
          assertEquals(1, mapper.beginAndLockDue(NOW, List.of(), List.of(), List.of(), false, 10, false, null).size());
          throw new IllegalStateException("the claim broke off after its locking read");
        }));

    assertEquals("task database error: the claim broke off after its locking read", failure.getMessage());
    assertEquals(0, openTransactions(), "transactions still open on the server");
    List<ClaimedTask> claimed = store.claim(10, List.of(), "worker-2", NOW);
    assertEquals(List.of(id), claimed.stream().map(ClaimedTask::id).toList(), "the row the failed claim read is free");
  }

  /** The claim's mark and commit go as one statement: a commit the server refuses must fail the claim, not pass unseen. */
  @Test
  void anErrorInTheStatementSentAfterTheMarkFailsTheMark() throws SQLException {
    long id = insert("marked-then-refused");
    try (Connection connection = DriverManager.getConnection(Database.withMultiStatements(server.url()), "root", "");
        java.sql.PreparedStatement markThenRefused = connection.prepareStatement(
            "UPDATE bgtask_task SET claimed_by = 'worker-3' WHERE id = ?; INSERT INTO bgtask_no_such_table VALUES (1)")) {
      markThenRefused.setLong(1, id);
      SQLException refused = assertThrows(SQLException.class, markThenRefused::execute);
      assertEquals("42S02", refused.getSQLState(), refused.getMessage());
    }
  }

  @Test
  void theUrlAllowsStatementsOfSeveralPartsWhateverItSaidItself() {
    assertEquals("jdbc:mariadb://db:3306/tasks?allowMultiQueries=true", Database.withMultiStatements("jdbc:mariadb://db:3306/tasks"));
    assertEquals("jdbc:mariadb://db/tasks?sslMode=trust&allowMultiQueries=true",
        Database.withMultiStatements("jdbc:mariadb://db/tasks?sslMode=trust"));
    assertEquals("jdbc:mariadb://db/tasks?sslMode=trust&allowMultiQueries=true",
        Database.withMultiStatements("jdbc:mariadb://db/tasks?allowMultiQueries=false&sslMode=trust"));
    assertEquals("jdbc:mariadb://db/tasks?sslMode=trust&allowMultiQueries=true",
        Database.withMultiStatements("jdbc:mariadb://db/tasks?sslMode=trust&ALLOWMULTIQUERIES=false"));
  }

  private long insert(String name) {
    return store.insert(new NewTask(name, "com.example.Tasks", name, "()V", "[]", "", 0, NOW, NOW, 25));
  }

  private long globalStatus(String variable) throws SQLException {
    try (Statement statement = admin.createStatement();
        ResultSet row = statement.executeQuery("SHOW GLOBAL STATUS LIKE '" + variable + "'")) {
      row.next();
      return row.getLong(2);
    }
  }

  private long openTransactions() throws SQLException {
    try (Statement statement = admin.createStatement();
        ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM information_schema.innodb_trx")) {
      row.next();
      return row.getLong(1);
    }
  }
}
