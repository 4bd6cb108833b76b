package io.baton.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.config.BatonConfig.PostgresConfig;
import io.baton.storage.PgStorage;
import io.baton.support.Await;
import io.baton.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The feed on PostgreSQL, including what makes it hard: ids drawn before commit, by transactions
 * that commit in another order than their ids (and their xids).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgEventFeedTest extends EventFeedContract {

  private Vertx vertx;
  private PostgresConfig schema;
  private PgStorage storage;

  @BeforeAll
  void connect() {
    vertx = Vertx.vertx();
    schema = TestServices.freshSchema(4);
    storage = PgStorage.connect(vertx, schema);
  }

  @AfterAll
  void close() {
    Await.result(storage.close());
    Await.result(vertx.close());
    TestServices.dropSchema(schema);
  }

  @Override
  protected EventFeed feed() {
    return storage.eventFeed();
  }

  @Override
  protected Event append(Event event) {
    return Await.result(storage.pool().withTransaction(tx -> PgEventLog.append(tx, event)));
  }

  private SqlConnection connection() {
    return Await.result(storage.pool().getConnection());
  }

  private static List<Long> ids(List<Event> events) {
    return events.stream().map(Event::id).toList();
  }

  @Test
  void aCommittedEventWaitsForALowerIdWhoseTransactionIsStillOpen() {
    Await.result(feed().start());
    SqlConnection slow = connection();
    Transaction slowTx = Await.result(slow.begin());
    Event early = Await.result(PgEventLog.append(slow, event(handoff(), Instant.now())));
    Event late = append(event(handoff(), Instant.now()));

    assertThat(early.id()).isLessThan(late.id());
    assertThat(Await.result(feed().next(10))).as("nothing passes the open transaction's id").isEmpty();

    Await.result(slowTx.commit());
    assertThat(ids(Await.result(feed().next(10)))).containsExactly(early.id(), late.id());
    Await.result(slow.close());
  }

  /**
   * The trap of a plain {@code tx < pg_snapshot_xmin} filter: the transaction with the older xid
   * draws the higher id and commits first; the younger one still holds the lower id.
   */
  @Test
  void anOlderTransactionWithAHigherIdDoesNotMakeTheFeedSkipALowerOne() {
    Await.result(feed().start());
    SqlConnection older = connection();
    SqlConnection younger = connection();
    Transaction olderTx = Await.result(older.begin());
    Await.result(older.query("SELECT pg_current_xact_id()").execute());
    Transaction youngerTx = Await.result(younger.begin());
    Event lower = Await.result(PgEventLog.append(younger, event(handoff(), Instant.now())));
    Event higher = Await.result(PgEventLog.append(older, event(handoff(), Instant.now())));
    Await.result(olderTx.commit());

    assertThat(lower.id()).isLessThan(higher.id());
    assertThat(Await.result(feed().next(10))).isEmpty();

    Await.result(youngerTx.commit());
    assertThat(ids(Await.result(feed().next(10)))).containsExactly(lower.id(), higher.id());
    Await.result(older.close());
    Await.result(younger.close());
  }

  @Test
  void anIdWhoseTransactionRolledBackIsPassedOnceThatTransactionHasEnded() {
    Await.result(feed().start());
    SqlConnection doomed = connection();
    Transaction doomedTx = Await.result(doomed.begin());
    Await.result(PgEventLog.append(doomed, event(handoff(), Instant.now())));
    Event after = append(event(handoff(), Instant.now()));
    assertThat(Await.result(feed().next(10))).isEmpty();

    Await.result(doomedTx.rollback());
    Await.result(doomed.close());

    // The first look after the rollback may still come from a snapshot that saw it running; the
    // relay looks again on its next wake-up or poll, as this does.
    List<Event> passed = List.of();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (passed.isEmpty() && System.nanoTime() < deadline) {
      passed = Await.result(feed().next(10));
    }
    assertThat(ids(passed)).containsExactly(after.id());
  }

  @Test
  void everyIdFromConcurrentWritersIsReturnedOnceInOrder() {
    long head = Await.result(feed().start());
    List<io.vertx.core.Future<Event>> writes = new java.util.ArrayList<>();
    List<Long> seen = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      writes.add(storage.pool().withTransaction(tx -> PgEventLog.append(tx, event(handoff(), Instant.now()))));
      if (i % 20 == 0) {
        seen.addAll(ids(Await.result(feed().next(50))));
      }
    }
    Await.result(io.vertx.core.Future.all(writes));
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (seen.size() < 200 && System.nanoTime() < deadline) {
      seen.addAll(ids(Await.result(feed().next(50))));
    }

    List<Long> written = writes.stream().map(w -> w.result().id()).sorted().toList();
    assertThat(seen).containsExactlyElementsOf(written);
    assertThat(seen.getFirst()).isGreaterThan(head);
  }
}
