package io.baton.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.events.Event;
import io.baton.helpdesk.TicketStore;
import io.baton.events.PgEventLog;
import io.baton.storage.PgStorage;
import io.baton.support.Await;
import io.baton.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PgHandoffStoreTest extends HandoffStoreContract {

  /** The tenant the cases act in (tenant cases add others). */
  static final String T = "default";

  private static TestDatabase database;
  private static PgStorage storage;

  @BeforeAll
  static void setUp() {
    database = new TestDatabase();
    storage = database.storage;
  }

  @AfterAll
  static void tearDown() {
    database.close();
  }

  @Test
  void concurrentCreatesShareTransactionsAndStayCorrect() {
    // One batch slot: whatever arrives while it runs waits and goes together.
    PgHandoffStore grouped = new PgHandoffStore(storage.pool(), 1);
    String shared = "group-shared-" + UUID.randomUUID();
    List<Handoff> drafts = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      drafts.add(draft(i % 6 == 0 ? shared : "group-" + UUID.randomUUID()));
    }
    List<Future<HandoffStore.CreateOutcome>> creates = drafts.stream().map(d -> grouped.createOrGetActive(T, d)).toList();
    Await.result(Future.all(creates));

    List<HandoffStore.CreateOutcome> outcomes = creates.stream().map(Future::result).toList();
    assertThat(outcomes).filteredOn(HandoffStore.CreateOutcome::created).hasSize(51);
    assertThat(outcomes.stream().filter(o -> o.handoff().conversationId().equals(shared))
        .map(o -> o.handoff().id()).distinct()).hasSize(1);
    Set<String> ids = drafts.stream().map(Handoff::id).collect(Collectors.toSet());
    long transactions = Await.result(storage.pool()
        .query("SELECT count(DISTINCT tx) AS n FROM events WHERE type = 'handoff.created'"
            + " AND handoff_id IN ('" + String.join("','", ids) + "')").execute())
        .iterator().next().getLong("n");
    assertThat(transactions).isLessThan(51);
  }

  @Test
  void aCreateThatFailsInABatchDoesNotFailItsNeighbours() {
    PgHandoffStore grouped = new PgHandoffStore(storage.pool(), 1);
    List<Handoff> drafts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      drafts.add(draft("neighbour-" + UUID.randomUUID()));
    }
    // PostgreSQL refuses a NUL escape in jsonb (the service refuses it earlier): this create fails,
    // and takes its whole batch down with it.
    Handoff poisoned = withMetadata(draft("poisoned-" + UUID.randomUUID()), new JsonObject().put("x", "a\u0000b"));
    drafts.add(10, poisoned);

    List<Future<HandoffStore.CreateOutcome>> creates = drafts.stream().map(d -> grouped.createOrGetActive(T, d)).toList();
    Await.result(Future.join(creates).otherwiseEmpty());

    for (int i = 0; i < drafts.size(); i++) {
      if (drafts.get(i) == poisoned) {
        assertThat(creates.get(i).failed()).isTrue();
      } else {
        assertThat(creates.get(i).result().created()).isTrue();
      }
    }
  }

  private static Handoff draft(String conversationId) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    return new Handoff(new HandoffIds(Clock.systemUTC()).next(), conversationId, "user", Handoff.KIND_HANDOFF,
        HandoffStatus.PENDING, Priority.MEDIUM, "general_support", "default", null, null, null, null, List.of(),
        List.of(ChatMessage.user("hi")), new JsonObject(), null, now, now, 1);
  }

  private static Handoff withMetadata(Handoff h, JsonObject metadata) {
    return new Handoff(h.id(), h.conversationId(), h.userId(), h.kind(), h.status(), h.priority(), h.queue(),
        h.routingRule(), h.assignedAgent(), h.ticketId(), h.ticketUrl(), h.trigger(), h.tags(), h.transcript(),
        metadata, h.context(), h.createdAt(), h.updatedAt(), h.version());
  }

  @Override
  protected HandoffStore store() {
    return storage.handoffs();
  }

  @Override
  protected TicketStore tickets() {
    return storage.tickets();
  }

  @Override
  protected List<Event> events() {
    return Await.result(PgEventLog.readAfter(storage.pool(), 0, 100_000));
  }
}
