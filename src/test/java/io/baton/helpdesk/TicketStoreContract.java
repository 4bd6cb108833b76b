package io.baton.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.events.Event;
import io.baton.events.EventTypes;
import io.baton.support.Await;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every {@link TicketStore} does; run against PostgreSQL and memory. */
@Timeout(60)
public abstract class TicketStoreContract {

  /** The tenant the cases act in (tenant cases add others). */
  static final String T = "default";

  private Instant clock = Instant.parse("2026-01-01T10:00:00Z");

  protected abstract TicketStore store();

  /** Every event in the log, oldest first. */
  protected abstract List<Event> events();

  private Ticket draft(String customerId, String handoffId) {
    clock = clock.plus(1, ChronoUnit.SECONDS);
    return new Ticket(TicketIds.ticket(), handoffId, TicketStatus.NEW, "high", null, customerId, "Cannot pay",
        List.of("billing"), new JsonObject().put("channel", "web"), new JsonObject().put("name", "Ana"),
        new JsonArray().add(new JsonObject().put("message_id", "msg_1").put("content", "help")), clock, clock, 1);
  }

  private static String customer() {
    return "cust_" + UUID.randomUUID();
  }

  private List<Event> eventsOf(String ticketId) {
    return events().stream()
        .filter(e -> ticketId.equals(e.data().getJsonObject("ticket", new JsonObject()).getString("ticket_id")))
        .toList();
  }

  @Test
  void createdTicketReadsBackFieldForFieldWithItsEvent() {
    Ticket draft = draft(customer(), null);

    Ticket created = Await.result(store().create(T, draft));

    assertThat(created).isEqualTo(draft);
    assertThat(Await.result(store().get(T, draft.id()))).contains(draft);
    assertThat(eventsOf(draft.id())).extracting(Event::type).containsExactly(EventTypes.TICKET_CREATED);
  }

  @Test
  void unknownTicketIsEmpty() {
    assertThat(Await.result(store().get(T, "tkt_unknown"))).isEmpty();
    assertThat(Await.result(store().byHandoff(T, "ho-unknown"))).isEmpty();
  }

  @Test
  void aHandoffGetsOneTicketHoweverManyOpensRace() {
    String handoffId = "ho-" + UUID.randomUUID();
    List<Future<Ticket>> opens = IntStream.range(0, 8)
        .mapToObj(i -> store().create(T, draft(customer(), handoffId))).toList();
    Await.result(Future.all(opens));

    assertThat(opens.stream().map(f -> f.result().id()).distinct()).hasSize(1);
    String ticketId = opens.getFirst().result().id();
    assertThat(Await.result(store().byHandoff(T, handoffId))).map(Ticket::id).contains(ticketId);
    assertThat(events().stream().filter(e -> handoffId.equals(e.handoffId()))).hasSize(1);
  }

  @Test
  void aChangeIsStoredWithItsEvent() {
    Ticket draft = Await.result(store().create(T, draft(customer(), null)));
    Instant later = draft.updatedAt().plusSeconds(5);

    Ticket changed = Await.result(store().modify(T, draft.id(), EventTypes.TICKET_ASSIGNED,
        t -> t.changed(TicketStatus.OPEN, t.priority(), "agent-1", t.subject(), t.tags(), t.timeline(), later)));

    assertThat(changed.version()).isEqualTo(2);
    assertThat(Await.result(store().get(T, draft.id()))).contains(changed);
    assertThat(eventsOf(draft.id())).extracting(Event::type)
        .containsExactly(EventTypes.TICKET_CREATED, EventTypes.TICKET_ASSIGNED);
    assertThat(eventsOf(draft.id()).getLast().agentId()).isEqualTo("agent-1");
  }

  @Test
  void aRefusedChangeWritesNothing() {
    Ticket draft = Await.result(store().create(T, draft(customer(), null)));

    Throwable failure = Await.failure(store().modify(T, draft.id(), EventTypes.TICKET_UPDATED, t -> {
      throw BatonException.unprocessable("no");
    }));

    assertThat(failure).isInstanceOf(BatonException.class);
    assertThat(Await.result(store().get(T, draft.id()))).contains(draft);
    assertThat(eventsOf(draft.id())).hasSize(1);
  }

  @Test
  void changingAnUnknownTicketIsNotFound() {
    Throwable failure = Await.failure(store().modify(T, "tkt_unknown", EventTypes.TICKET_UPDATED, t -> t));

    assertThat(((BatonException) failure).error()).isEqualTo(BatonError.NOT_FOUND);
    assertThat(failure.getMessage()).isEqualTo("Ticket not found");
  }

  @Test
  void listsFilterAndPageNewestFirst() {
    String agent = "agent-" + UUID.randomUUID();
    List<Ticket> mine = IntStream.range(0, 5).mapToObj(i -> Await.result(store().create(T, draft(customer(), null))))
        .map(t -> Await.result(store().modify(T, t.id(), EventTypes.TICKET_ASSIGNED,
            c -> c.changed(TicketStatus.OPEN, c.priority(), agent, c.subject(), c.tags(), c.timeline(),
                c.updatedAt()))))
        .toList();

    TicketPage first = Await.result(store().list(T, new TicketQuery(TicketStatus.OPEN, agent, 1, 2)));
    TicketPage last = Await.result(store().list(T, new TicketQuery(null, agent, 3, 2)));

    assertThat(first.totalCount()).isEqualTo(5);
    assertThat(first.tickets()).extracting(Ticket::id).containsExactly(mine.get(4).id(), mine.get(3).id());
    assertThat(last.tickets()).extracting(Ticket::id).containsExactly(mine.get(0).id());
    assertThat(Await.result(store().list(T, new TicketQuery(TicketStatus.CLOSED, agent, 1, 20))).totalCount()).isZero();
  }

  @Test
  void aCustomersTicketsNewestFirst() {
    String customerId = customer();
    Ticket older = Await.result(store().create(T, draft(customerId, null)));
    Ticket newer = Await.result(store().create(T, draft(customerId, null)));
    Await.result(store().create(T, draft(customer(), null)));

    assertThat(Await.result(store().byCustomer(T, customerId, 10))).extracting(Ticket::id)
        .containsExactly(newer.id(), older.id());
    assertThat(Await.result(store().byCustomer(T, customerId, 1))).extracting(Ticket::id).containsExactly(newer.id());
  }

  @Test
  void anotherTenantsTicketIsUnknownToEveryMethod() {
    String customerId = customer();
    String handoffId = "ho-" + UUID.randomUUID();
    Ticket ours = Await.result(store().create(T, draft(customerId, handoffId)));
    String other = "acme-" + UUID.randomUUID().toString().substring(0, 8);

    assertThat(Await.result(store().get(other, ours.id()))).isEmpty();
    assertThat(Await.result(store().byHandoff(other, handoffId))).isEmpty();
    assertThat(Await.result(store().byCustomer(other, customerId, 10))).isEmpty();
    assertThat(Await.result(store().list(other, new TicketQuery(null, null, 1, 100))).totalCount()).isZero();
    Throwable failure = Await.failure(store().modify(other, ours.id(), EventTypes.TICKET_UPDATED, t -> t));
    assertThat(failure).isInstanceOfSatisfying(BatonException.class,
        e -> assertThat(e.error()).isEqualTo(BatonError.NOT_FOUND));
    assertThat(Await.result(store().get(T, ours.id()))).contains(ours);
    assertThat(eventsOf(ours.id())).extracting(Event::type).containsExactly(EventTypes.TICKET_CREATED);
    assertThat(eventsOf(ours.id())).extracting(Event::tenant).containsExactly(T);
  }
}
