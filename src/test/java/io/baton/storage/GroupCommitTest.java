package io.baton.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which units share a statement (and so a commit), against the real database. */
class GroupCommitTest {

  /** Answers, per input row, the id of the transaction that ran it: rows of one statement share it. */
  private static final String TRANSACTION_OF_EACH = """
      SELECT txid_current() AS tx FROM unnest($1::int[]) WITH ORDINALITY AS i(v, ord) ORDER BY ord""";

  private final TestDatabase database = new TestDatabase();
  private final GroupCommit commits = new GroupCommit(database.storage.pool(),
      GroupCommit.asOneStatement(TRANSACTION_OF_EACH, tuples -> Tuple.of(tuples.stream()
          .map(tuple -> tuple.getInteger(0)).toArray(Integer[]::new))), 2);

  @AfterEach
  void close() {
    database.close();
  }

  private static Set<Long> transactions(List<Future<List<Row>>> units) {
    Set<Long> transactions = new HashSet<>();
    units.forEach(unit -> unit.result().forEach(row -> transactions.add(row.getLong("tx"))));
    return transactions;
  }

  @Test
  void theUnitsSubmittedInOneTurnOfAnEventLoopShareOneStatement() {
    // As a webhook's ten conversations are: each its own unit, all submitted in one turn.
    Promise<List<Future<List<Row>>>> submitted = Promise.promise();
    database.vertx.runOnContext(turn -> {
      List<Future<List<Row>>> units = new ArrayList<>();
      for (int unit = 0; unit < 10; unit++) {
        units.add(commits.submit("", List.of(Tuple.of(unit))));
      }
      submitted.complete(units);
    });
    List<Future<List<Row>>> units = Await.result(submitted.future());
    Await.result(Future.all(units));

    assertThat(transactions(units)).as("one statement, one commit").hasSize(1);
  }

  @Test
  void unitsOfSeparateTurnsEachGoAtOnceWhileASlotIsFree() {
    List<Future<List<Row>>> units = new ArrayList<>();
    for (int unit = 0; unit < 3; unit++) {
      Promise<Future<List<Row>>> submitted = Promise.promise();
      int value = unit;
      database.vertx.runOnContext(turn -> submitted.complete(commits.submit("", List.of(Tuple.of(value)))));
      units.add(Await.result(submitted.future()));
      Await.result(units.getLast());
    }

    assertThat(transactions(units)).as("an idle writer does not hold a unit back").hasSize(3);
    assertThat(units).allSatisfy(unit -> assertThat(unit.result()).hasSize(1));
  }
}
