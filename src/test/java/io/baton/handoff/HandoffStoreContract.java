package io.baton.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.events.Event;
import io.baton.events.EventTypes;
import io.baton.helpdesk.Ticket;
import io.baton.helpdesk.TicketService;
import io.baton.helpdesk.TicketStatus;
import io.baton.helpdesk.TicketStore;
import io.baton.support.Await;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every {@link HandoffStore} does; run against PostgreSQL and memory. */
@Timeout(60)
public abstract class HandoffStoreContract {

  /** The tenant the cases act in (tenant cases add others). */
  static final String T = "default";

  private final HandoffIds ids = new HandoffIds(java.time.Clock.systemUTC());
  private Instant clock = Instant.parse("2026-01-01T10:00:00Z");

  protected abstract HandoffStore store();

  /** Every event in the log, oldest first. */
  protected abstract List<Event> events();

  /** The built-in helpdesk's tickets, written with their handoffs. */
  protected abstract TicketStore tickets();

  private Handoff draft(String conversationId, Priority priority) {
    clock = clock.plus(1, ChronoUnit.SECONDS);
    return new Handoff(ids.next(), conversationId, "user-" + conversationId, Handoff.KIND_HANDOFF,
        HandoffStatus.PENDING, priority, "general_support", "default", null, null, null,
        new JsonObject().put("type", "direct_request").put("confidence", 0.9).put("reason", "asked"),
        List.of("tag-a"), List.of(ChatMessage.user("I need a human"), ChatMessage.ai("One moment")),
        new JsonObject().put("tier", "vip"), new JsonObject().put("locale", "en"), clock, clock, 1);
  }

  private static String conversation() {
    return "conv-" + UUID.randomUUID();
  }

  @Test
  void createdHandoffReadsBackFieldForField() {
    Handoff draft = draft(conversation(), Priority.HIGH);

    HandoffStore.CreateOutcome outcome = Await.result(store().createOrGetActive(T, draft));

    assertThat(outcome.created()).isTrue();
    assertThat(Await.result(store().get(T, draft.id()))).contains(draft);
  }

  @Test
  void unknownHandoffIsEmpty() {
    assertThat(Await.result(store().get(T, "ho-unknown"))).isEmpty();
  }

  @Test
  void secondCreateForAConversationAnswersTheActiveHandoff() {
    String conversationId = conversation();
    Handoff first = draft(conversationId, Priority.MEDIUM);
    Await.result(store().createOrGetActive(T, first));

    HandoffStore.CreateOutcome second = Await.result(store().createOrGetActive(T, draft(conversationId, Priority.HIGH)));

    assertThat(second.created()).isFalse();
    assertThat(second.handoff()).isEqualTo(first);
    assertThat(eventsOfConversation(conversationId)).extracting(Event::type).containsExactly(EventTypes.HANDOFF_CREATED);
  }

  @Test
  void racingCreatesForOneConversationMakeExactlyOneHandoff() {
    String conversationId = conversation();
    List<Future<HandoffStore.CreateOutcome>> racers = IntStream.range(0, 50)
        .mapToObj(i -> store().createOrGetActive(T, draft(conversationId, Priority.MEDIUM)))
        .toList();
    Await.result(Future.all(racers));

    List<HandoffStore.CreateOutcome> outcomes = racers.stream().map(Future::result).toList();
    assertThat(outcomes).filteredOn(HandoffStore.CreateOutcome::created).hasSize(1);
    Set<String> ids = outcomes.stream().map(o -> o.handoff().id()).collect(Collectors.toSet());
    assertThat(ids).hasSize(1);
    HandoffPage page = Await.result(store().list(T, query(null, conversationId, null, 1, 100)));
    assertThat(page.totalCount()).isEqualTo(1);
    assertThat(eventsOfConversation(conversationId)).hasSize(1);
  }

  @Test
  void racingCreatesWithBuiltInTicketsWriteOnlyTheWinnersTicket() {
    String conversationId = conversation();
    List<Handoff> drafts = new ArrayList<>();
    List<InlineTicket> tickets = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Handoff draft = draft(conversationId, Priority.MEDIUM);
      Ticket ticket = new Ticket("tkt_" + UUID.randomUUID(), draft.id(), TicketStatus.NEW, "medium", null, "user-1",
          "Handoff " + i, List.of("handoff"), new JsonObject().put("channel", "api"), new JsonObject(),
          new JsonArray(), draft.createdAt(), draft.createdAt(), 1);
      String url = "/api/v1/tickets/" + ticket.id();
      tickets.add(new InlineTicket(ticket.id(), url, ticket.toRow(), TicketService.createdEvent(ticket)));
      drafts.add(draft.withNewTicket(ticket.id(), url));
    }
    List<Future<HandoffStore.CreateOutcome>> racers = IntStream.range(0, drafts.size())
        .mapToObj(i -> store().createOrGetActive(T, drafts.get(i), tickets.get(i)))
        .toList();
    Await.result(Future.all(racers));

    List<Handoff> created = racers.stream().map(Future::result).filter(HandoffStore.CreateOutcome::created)
        .map(HandoffStore.CreateOutcome::handoff).toList();
    assertThat(created).hasSize(1);
    Handoff winner = created.getFirst();
    assertThat(Await.result(store().get(T, winner.id()))).contains(winner);
    Ticket written = Await.result(tickets().byHandoff(T, winner.id())).orElseThrow();
    assertThat(written.id()).isEqualTo(winner.ticketId());
    assertThat(written.toRow()).isEqualTo(tickets.get(drafts.indexOf(winner)).row());
    for (InlineTicket lost : tickets) {
      if (!lost.ticketId().equals(winner.ticketId())) {
        assertThat(Await.result(tickets().get(T, lost.ticketId()))).isEmpty();
      }
    }
    assertThat(events().stream().filter(e -> EventTypes.TICKET_CREATED.equals(e.type()))
        .filter(e -> drafts.stream().anyMatch(d -> d.id().equals(e.handoffId()))))
        .singleElement().satisfies(e -> assertThat(e.handoffId()).isEqualTo(winner.id()));
  }

  @Test
  void aTicketIsRecordedOnceWithItsEvent() {
    Handoff draft = draft(conversation(), Priority.HIGH);
    Await.result(store().createOrGetActive(T, draft));
    Instant later = draft.createdAt().plusSeconds(1);

    Handoff linked = Await.result(store().setTicket(T, draft.id(), "tkt_1", "/api/v1/tickets/tkt_1", later));
    Handoff again = Await.result(store().setTicket(T, draft.id(), "tkt_1", "/api/v1/tickets/tkt_1", later.plusSeconds(1)));

    assertThat(linked.ticketId()).isEqualTo("tkt_1");
    assertThat(linked.ticketUrl()).isEqualTo("/api/v1/tickets/tkt_1");
    assertThat(linked.version()).isEqualTo(2);
    assertThat(again).isEqualTo(linked);
    assertThat(Await.result(store().get(T, draft.id()))).contains(linked);
    List<Event> events = eventsOfConversation(draft.conversationId());
    assertThat(events).extracting(Event::type)
        .containsExactly(EventTypes.HANDOFF_CREATED, EventTypes.HANDOFF_TICKET_LINKED);
    assertThat(events.getLast().data().getJsonObject("handoff").getString("ticket_id")).isEqualTo("tkt_1");
    assertThat(((BatonException) Await.failure(store().setTicket(T, "ho-unknown", "tkt_2", "u", later))).error())
        .isEqualTo(BatonError.NOT_FOUND);
  }

  @Test
  void createAppendsItsEventWithTheHandoff() {
    Handoff draft = draft(conversation(), Priority.URGENT);
    Await.result(store().createOrGetActive(T, draft));

    List<Event> events = eventsOfConversation(draft.conversationId());
    assertThat(events).hasSize(1);
    Event created = events.getFirst();
    assertThat(created.type()).isEqualTo(EventTypes.HANDOFF_CREATED);
    assertThat(created.handoffId()).isEqualTo(draft.id());
    assertThat(created.queue()).isEqualTo("general_support");
    assertThat(created.id()).isPositive();
    assertThat(created.data().getJsonObject("handoff").getString("priority")).isEqualTo("URGENT");
  }

  @Test
  void listIsHighestPriorityFirstThenOldestFirstAndPaged() {
    String user = "list-" + UUID.randomUUID();
    List<Handoff> created = new ArrayList<>();
    for (Priority priority : List.of(Priority.LOW, Priority.CRITICAL, Priority.MEDIUM, Priority.CRITICAL,
        Priority.HIGH)) {
      Handoff d = draft(conversation(), priority);
      Handoff mine = new Handoff(d.id(), d.conversationId(), user, d.kind(), d.status(), d.priority(), d.queue(),
          d.routingRule(), d.assignedAgent(), d.ticketId(), d.ticketUrl(), d.trigger(), d.tags(), d.transcript(),
          d.metadata(), d.context(), d.createdAt(), d.updatedAt(), d.version());
      created.add(Await.result(store().createOrGetActive(T, mine)).handoff());
    }

    HandoffPage first = Await.result(store().list(T, query(null, null, user, 1, 2)));
    HandoffPage second = Await.result(store().list(T, query(null, null, user, 2, 2)));
    HandoffPage third = Await.result(store().list(T, query(null, null, user, 3, 2)));

    List<Handoff> expected = created.stream().sorted(HandoffStore.LISTING_ORDER).toList();
    assertThat(first.handoffs()).containsExactlyElementsOf(expected.subList(0, 2));
    assertThat(second.handoffs()).containsExactlyElementsOf(expected.subList(2, 4));
    assertThat(third.handoffs()).containsExactlyElementsOf(expected.subList(4, 5));
    assertThat(first.totalCount()).isEqualTo(5);
    assertThat(third.totalCount()).isEqualTo(5);
    assertThat(expected.getFirst().priority()).isEqualTo(Priority.CRITICAL);
    assertThat(expected.getFirst().createdAt()).isBefore(expected.get(1).createdAt());
  }

  @Test
  void listFiltersByEveryField() {
    Handoff target = draft(conversation(), Priority.URGENT);
    Await.result(store().createOrGetActive(T, target));
    Await.result(store().createOrGetActive(T, draft(conversation(), Priority.LOW)));

    HandoffQuery byAll = new HandoffQuery(HandoffStatus.PENDING, "general_support", null, target.conversationId(),
        target.userId(), Priority.URGENT, 1, 20);
    assertThat(Await.result(store().list(T, byAll)).handoffs()).containsExactly(target);

    HandoffQuery wrongStatus = new HandoffQuery(HandoffStatus.ASSIGNED, null, null, target.conversationId(), null,
        null, 1, 20);
    assertThat(Await.result(store().list(T, wrongStatus)).totalCount()).isZero();
    HandoffQuery wrongPriority = new HandoffQuery(null, null, null, target.conversationId(), null, Priority.LOW, 1, 20);
    assertThat(Await.result(store().list(T, wrongPriority)).totalCount()).isZero();
    HandoffQuery wrongQueue = new HandoffQuery(null, "vip_support", null, target.conversationId(), null, null, 1, 20);
    assertThat(Await.result(store().list(T, wrongQueue)).totalCount()).isZero();
    HandoffQuery byAgent = new HandoffQuery(null, null, "agent-x", target.conversationId(), null, null, 1, 20);
    assertThat(Await.result(store().list(T, byAgent)).totalCount()).isZero();
  }

  @Test
  void cancelEndsAPendingHandoffAndFreesTheConversation() {
    Handoff draft = draft(conversation(), Priority.MEDIUM);
    Await.result(store().createOrGetActive(T, draft));
    Instant at = clock.plus(5, ChronoUnit.SECONDS);

    Handoff cancelled = Await.result(store().cancel(T, draft.id(), at));

    assertThat(cancelled.status()).isEqualTo(HandoffStatus.CANCELLED);
    assertThat(cancelled.updatedAt()).isEqualTo(at);
    assertThat(cancelled.version()).isEqualTo(draft.version() + 1);
    assertThat(Await.result(store().get(T, draft.id()))).contains(cancelled);
    assertThat(eventsOfConversation(draft.conversationId())).extracting(Event::type)
        .containsExactly(EventTypes.HANDOFF_CREATED, EventTypes.HANDOFF_CANCELLED);

    HandoffStore.CreateOutcome next = Await.result(store().createOrGetActive(T, draft(draft.conversationId(),
        Priority.LOW)));
    assertThat(next.created()).isTrue();
    assertThat(next.handoff().id()).isNotEqualTo(draft.id());
  }

  @Test
  void cancellingTwiceAnswersTheCancelledHandoffAndWritesNothing() {
    Handoff draft = draft(conversation(), Priority.MEDIUM);
    Await.result(store().createOrGetActive(T, draft));
    Handoff first = Await.result(store().cancel(T, draft.id(), clock.plusSeconds(1)));

    Handoff again = Await.result(store().cancel(T, draft.id(), clock.plusSeconds(2)));

    assertThat(again).isEqualTo(first);
    assertThat(eventsOfConversation(draft.conversationId())).hasSize(2);
  }

  @Test
  void racingCancelsCancelOnce() {
    Handoff draft = draft(conversation(), Priority.MEDIUM);
    Await.result(store().createOrGetActive(T, draft));
    List<Future<Handoff>> racers = IntStream.range(0, 20)
        .mapToObj(i -> store().cancel(T, draft.id(), clock.plusSeconds(1)))
        .toList();
    Await.result(Future.join(racers));

    assertThat(racers).allMatch(Future::succeeded);
    assertThat(eventsOfConversation(draft.conversationId())).extracting(Event::type)
        .containsExactly(EventTypes.HANDOFF_CREATED, EventTypes.HANDOFF_CANCELLED);
  }

  @Test
  void cancelUnknownIsNotFound() {
    Throwable failure = Await.failure(store().cancel(T, "ho-missing", clock));
    assertThat(failure).isInstanceOfSatisfying(BatonException.class,
        e -> assertThat(e.error()).isEqualTo(BatonError.NOT_FOUND));
  }

  // ---- tenants ----

  /** Another tenant, named per case so that cases never see each other's rows. */
  private static String otherTenant() {
    return "acme-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void racingCreatesOfTwoTenantsForOneConversationIdMakeOneHandoffEach() {
    String conversationId = conversation();
    String other = otherTenant();
    List<Future<HandoffStore.CreateOutcome>> racers = IntStream.range(0, 40)
        .mapToObj(i -> store().createOrGetActive(i % 2 == 0 ? T : other, draft(conversationId, Priority.MEDIUM)))
        .toList();
    Await.result(Future.all(racers));

    List<HandoffStore.CreateOutcome> ours = IntStream.range(0, 40).filter(i -> i % 2 == 0)
        .mapToObj(i -> racers.get(i).result()).toList();
    List<HandoffStore.CreateOutcome> theirs = IntStream.range(0, 40).filter(i -> i % 2 == 1)
        .mapToObj(i -> racers.get(i).result()).toList();
    assertThat(ours).filteredOn(HandoffStore.CreateOutcome::created).hasSize(1);
    assertThat(theirs).filteredOn(HandoffStore.CreateOutcome::created).hasSize(1);
    Set<String> ourIds = ours.stream().map(o -> o.handoff().id()).collect(Collectors.toSet());
    Set<String> theirIds = theirs.stream().map(o -> o.handoff().id()).collect(Collectors.toSet());
    assertThat(ourIds).hasSize(1).doesNotContainAnyElementsOf(theirIds);
    assertThat(theirIds).hasSize(1);
    assertThat(Await.result(store().list(T, query(null, conversationId, null, 1, 100))).handoffs())
        .extracting(Handoff::id).containsExactlyElementsOf(ourIds);
    assertThat(Await.result(store().list(other, query(null, conversationId, null, 1, 100))).handoffs())
        .extracting(Handoff::id).containsExactlyElementsOf(theirIds);
    assertThat(eventsOfConversation(conversationId)).extracting(Event::tenant).containsExactlyInAnyOrder(T, other);
  }

  @Test
  void anotherTenantsHandoffIsUnknownToEveryMethod() {
    Handoff draft = draft(conversation(), Priority.HIGH);
    Await.result(store().createOrGetActive(T, draft));
    String other = otherTenant();

    assertThat(Await.result(store().get(other, draft.id()))).isEmpty();
    assertThat(Await.result(store().list(other, query(null, null, null, 1, 100))).totalCount()).isZero();
    assertThat(Await.failure(store().cancel(other, draft.id(), clock.plusSeconds(1))))
        .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.error()).isEqualTo(BatonError.NOT_FOUND));
    assertThat(Await.failure(store().setTicket(other, draft.id(), "tkt_x", "u", clock.plusSeconds(1))))
        .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.error()).isEqualTo(BatonError.NOT_FOUND));
    assertThat(Await.result(store().tenantOf(draft.id()))).contains(T);
    assertThat(Await.result(store().get(T, draft.id()))).contains(draft);
    assertThat(eventsOfConversation(draft.conversationId())).extracting(Event::type)
        .containsExactly(EventTypes.HANDOFF_CREATED);
  }

  @Test
  void aClosedConversationOfOneTenantDoesNotCloseAnothersOfTheSameId() {
    String conversationId = conversation();
    String other = otherTenant();
    Handoff first = draft(conversationId, Priority.LOW);
    Await.result(store().createOrGetActive(T, first));
    Await.result(store().cancel(T, first.id(), clock.plusSeconds(1)));

    HandoffStore.CreateOutcome theirs = Await.result(store().createOrGetActive(other, draft(conversationId, Priority.LOW)));

    assertThat(theirs.created()).isTrue();
    assertThat(Await.result(store().get(T, theirs.handoff().id()))).isEmpty();
  }

  private HandoffQuery query(HandoffStatus status, String conversationId, String userId, int page, int size) {
    return new HandoffQuery(status, null, null, conversationId, userId, null, page, size);
  }

  private List<Event> eventsOfConversation(String conversationId) {
    return events().stream().filter(e -> conversationId.equals(e.conversationId())).toList();
  }
}
