package io.baton.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How marks' removals share statements, against the real database. */
class AwaitingRemovalsTest {

  private final TestDatabase database = new TestDatabase();
  private final AwaitingRemovals removals = new AwaitingRemovals(database.vertx, database.storage.pool());

  @AfterEach
  void close() {
    database.close();
  }

  private void mark(long from, long to) {
    Await.result(database.storage.pool().preparedQuery(
            "INSERT INTO awaiting_bot (seq, stored_at) SELECT s, now() FROM generate_series($1::bigint, $2::bigint) s")
        .execute(Tuple.of(from, to)));
  }

  private long marksLeft() {
    return Await.result(database.storage.pool().query("SELECT count(*) AS n FROM awaiting_bot").execute())
        .iterator().next().getLong("n");
  }

  private static List<Long> marks(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void removalsWithinTheWaitShareOneStatement() {
    mark(1, 50);
    List<Future<Void>> removed = new ArrayList<>();
    // Five webhooks' removals, each from its own turn of an event loop, within a few milliseconds.
    for (int webhook = 0; webhook < 5; webhook++) {
      long first = webhook * 10L + 1;
      removed.add(Await.result(Future.<Future<Void>>future(submitted -> database.vertx.runOnContext(turn ->
          submitted.complete(removals.remove(marks(first, first + 9)))))));
    }
    Await.result(Future.all(removed));

    assertThat(marksLeft()).isZero();
    assertThat(removals.statements()).as("one statement for the five").isEqualTo(1);
  }

  @Test
  void aFullStatementGoesWithoutWaiting() {
    mark(1, AwaitingRemovals.MAX_MARKS + 5);
    Future<Void> first = removals.remove(marks(1, AwaitingRemovals.MAX_MARKS / 2));
    Future<Void> second = removals.remove(marks(AwaitingRemovals.MAX_MARKS / 2 + 1, AwaitingRemovals.MAX_MARKS));
    Await.result(Future.all(first, second));
    assertThat(removals.statements()).isEqualTo(1);
    assertThat(marksLeft()).isEqualTo(5);

    // What is left after a full statement waits for the next.
    Await.result(removals.remove(marks(AwaitingRemovals.MAX_MARKS + 1, AwaitingRemovals.MAX_MARKS + 5)));
    assertThat(removals.statements()).isEqualTo(2);
    assertThat(marksLeft()).isZero();
  }
}
