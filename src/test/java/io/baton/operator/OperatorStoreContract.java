package io.baton.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.config.BatonConfig.QueueEscalation;
import io.baton.events.Event;
import io.baton.events.EventTypes;
import io.baton.handoff.ChatMessage;
import io.baton.handoff.Handoff;
import io.baton.handoff.HandoffIds;
import io.baton.handoff.HandoffStatus;
import io.baton.handoff.HandoffStore;
import io.baton.handoff.Owner;
import io.baton.handoff.Priority;
import io.baton.handoff.Speaker;
import io.baton.support.Await;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every {@link OperatorStore} does; run against PostgreSQL and memory. */
@Timeout(60)
public abstract class OperatorStoreContract {

  /** The tenant the cases act in (tenant cases add others). */
  static final String T = "default";

  private final HandoffIds ids = new HandoffIds(Clock.systemUTC());
  private Instant clock = Instant.parse("2026-01-01T10:00:00Z");

  protected abstract OperatorStore store();

  protected abstract HandoffStore handoffs();

  /** Every event in the log, oldest first. */
  protected abstract List<Event> events();

  /** The same data through another instance's store (PostgreSQL: another pool); memory has one. */
  protected OperatorStore otherInstance() {
    return store();
  }

  private Instant tick() {
    clock = clock.plus(1, ChronoUnit.SECONDS);
    return clock;
  }

  private static String conversation() {
    return "conv-" + UUID.randomUUID();
  }

  private Handoff pending(String conversationId, Priority priority, String queue) {
    Instant at = tick();
    Handoff draft = new Handoff(ids.next(), conversationId, "user-1", Handoff.KIND_HANDOFF, HandoffStatus.PENDING,
        priority, queue, "default", null, null, null, null, List.of(), List.of(ChatMessage.user("a human please")),
        new JsonObject(), null, at, at, 1);
    return Await.result(handoffs().createOrGetActive(T, draft)).handoff();
  }

  private Handoff pending(String conversationId) {
    return pending(conversationId, Priority.MEDIUM, "general_support");
  }

  private List<String> eventTypes(String conversationId) {
    return events().stream().filter(e -> conversationId.equals(e.conversationId())).map(Event::type).toList();
  }

  private static BatonException failure(Future<?> future) {
    return (BatonException) Await.failure(future);
  }

  private Conversation conversationOf(String conversationId) {
    return Await.result(store().conversation(T, conversationId)).orElseThrow().conversation();
  }

  private ConversationMessage message(String conversationId, String messageId, Speaker speaker, String content) {
    return new ConversationMessage(messageId, conversationId, speaker, content,
        speaker == Speaker.AGENT ? "agent-1" : null, null, speaker == Speaker.AGENT ? ConversationMessage.QUEUED : null,
        tick());
  }

  // ---- handoff transitions ----

  @Test
  void queueDepthsCountPendingHandoffsPerQueueWithTheOldestCreation() {
    String queue = "depth-" + UUID.randomUUID();
    String other = "depth-" + UUID.randomUUID();
    Handoff oldest = pending(conversation(), Priority.LOW, queue);
    pending(conversation(), Priority.URGENT, queue);
    Handoff assigned = pending(conversation(), Priority.MEDIUM, queue);
    Await.result(store().assign(T, assigned.id(), "agent-depth", tick()));
    pending(conversation(), Priority.MEDIUM, other);

    List<OperatorStore.QueueDepth> depths = Await.result(store().queueDepths());

    assertThat(depths).filteredOn(d -> d.queue().equals(queue)).singleElement().satisfies(d -> {
      assertThat(d.pending()).as("the assigned handoff is not pending").isEqualTo(2);
      assertThat(d.oldestCreatedAt()).isEqualTo(oldest.createdAt());
    });
    assertThat(depths).filteredOn(d -> d.queue().equals(other)).singleElement()
        .extracting(OperatorStore.QueueDepth::pending).isEqualTo(1L);
  }

  @Test
  void assignGivesAPendingHandoffAndItsConversationToTheAgent() {
    Handoff handoff = pending(conversation());
    Instant at = tick();

    Handoff assigned = Await.result(store().assign(T, handoff.id(), "agent-1", at));

    assertThat(assigned.status()).isEqualTo(HandoffStatus.ASSIGNED);
    assertThat(assigned.assignedAgent()).isEqualTo("agent-1");
    assertThat(assigned.updatedAt()).isEqualTo(at);
    assertThat(assigned.version()).isEqualTo(handoff.version() + 1);
    assertThat(Await.result(handoffs().get(T, handoff.id()))).contains(assigned);
    ConversationView view = Await.result(store().conversation(T, handoff.conversationId())).orElseThrow();
    assertThat(view.conversation().owner()).isEqualTo(Owner.AGENT);
    assertThat(view.conversation().agentId()).isEqualTo("agent-1");
    assertThat(view.activeHandoff()).isEqualTo(assigned);
    assertThat(eventTypes(handoff.conversationId())).containsExactly(EventTypes.HANDOFF_CREATED,
        EventTypes.HANDOFF_ASSIGNED, EventTypes.CONVERSATION_TAKEN_OVER);
  }

  @Test
  void assigningAgainToTheSameAgentChangesNothing() {
    Handoff handoff = pending(conversation());
    Handoff first = Await.result(store().assign(T, handoff.id(), "agent-1", tick()));

    Handoff again = Await.result(store().assign(T, handoff.id(), "agent-1", tick()));

    assertThat(again).isEqualTo(first);
    assertThat(eventTypes(handoff.conversationId())).hasSize(3);
  }

  @Test
  void assigningAHandoffAnotherAgentHoldsIsAConflictWithTheCurrentState() {
    Handoff handoff = pending(conversation());
    Await.result(store().assign(T, handoff.id(), "agent-1", tick()));

    BatonException conflict = failure(store().assign(T, handoff.id(), "agent-2", tick()));

    assertThat(conflict.error()).isEqualTo(BatonError.CONFLICT);
    assertThat(conflict.extensions().getString("current_status")).isEqualTo("assigned");
    assertThat(conflict.extensions().getString("assigned_agent")).isEqualTo("agent-1");
    assertThat(conflict.detail()).contains("agent-1");
  }

  @Test
  void fiftyRacingAssignsOfOneHandoffAssignItExactlyOnce() {
    Handoff handoff = pending(conversation());
    Instant at = tick();
    List<Future<Handoff>> racers = IntStream.range(0, 50)
        .mapToObj(i -> store().assign(T, handoff.id(), "agent-" + i, at))
        .toList();
    Await.result(Future.join(racers).otherwiseEmpty());

    List<Future<Handoff>> won = racers.stream().filter(Future::succeeded).toList();
    assertThat(won).hasSize(1);
    assertThat(racers.stream().filter(Future::failed))
        .hasSize(49)
        .allSatisfy(lost -> assertThat(((BatonException) lost.cause()).error()).isEqualTo(BatonError.CONFLICT));
    String winner = won.getFirst().result().assignedAgent();
    assertThat(Await.result(handoffs().get(T, handoff.id())).orElseThrow().assignedAgent()).isEqualTo(winner);
    assertThat(conversationOf(handoff.conversationId()).agentId()).isEqualTo(winner);
    assertThat(eventTypes(handoff.conversationId())).filteredOn(EventTypes.HANDOFF_ASSIGNED::equals).hasSize(1);
  }

  @Test
  void assigningAnUnknownHandoffIsNotFound() {
    assertThat(failure(store().assign(T, "ho-unknown", "agent-1", tick())).error()).isEqualTo(BatonError.NOT_FOUND);
  }

  @Test
  void releaseHandsTheConversationBackToTheBotAndFreesItForANewHandoff() {
    Handoff handoff = pending(conversation());
    Await.result(store().assign(T, handoff.id(), "agent-1", tick()));

    Handoff released = Await.result(store().release(T, handoff.id(), tick()));

    assertThat(released.status()).isEqualTo(HandoffStatus.RELEASED);
    ConversationView view = Await.result(store().conversation(T, handoff.conversationId())).orElseThrow();
    assertThat(view.conversation().owner()).isEqualTo(Owner.BOT);
    assertThat(view.conversation().agentId()).isNull();
    assertThat(view.activeHandoff()).isNull();
    assertThat(eventTypes(handoff.conversationId())).endsWith(EventTypes.HANDOFF_RELEASED,
        EventTypes.CONVERSATION_HANDED_BACK);
    assertThat(Await.result(store().release(T, handoff.id(), tick()))).isEqualTo(released);
    assertThat(pending(handoff.conversationId()).id()).isNotEqualTo(handoff.id());
  }

  @Test
  void resolveClosesTheConversation() {
    Handoff handoff = pending(conversation());
    Await.result(store().assign(T, handoff.id(), "agent-1", tick()));

    Handoff resolved = Await.result(store().resolve(T, handoff.id(), "refund issued", tick()));

    assertThat(resolved.status()).isEqualTo(HandoffStatus.RESOLVED);
    assertThat(resolved.assignedAgent()).isEqualTo("agent-1");
    assertThat(conversationOf(handoff.conversationId()).owner()).isEqualTo(Owner.CLOSED);
    List<Event> resolvedEvents = events().stream()
        .filter(e -> EventTypes.HANDOFF_RESOLVED.equals(e.type()) && handoff.id().equals(e.handoffId())).toList();
    assertThat(resolvedEvents).singleElement()
        .satisfies(e -> assertThat(e.data().getString("resolution")).isEqualTo("refund issued"));
    assertThat(Await.result(store().resolve(T, handoff.id(), "again", tick()))).isEqualTo(resolved);
    assertThat(eventTypes(handoff.conversationId())).endsWith(EventTypes.HANDOFF_RESOLVED,
        EventTypes.CONVERSATION_CLOSED);
  }

  @Test
  void illegalTransitionsAreConflictsWithTheCurrentStatus() {
    Handoff handoff = pending(conversation());
    BatonException resolvePending = failure(store().resolve(T, handoff.id(), null, tick()));
    assertThat(resolvePending.error()).isEqualTo(BatonError.CONFLICT);
    assertThat(resolvePending.extensions().getString("current_status")).isEqualTo("pending");

    Await.result(store().release(T, handoff.id(), tick()));
    for (Future<Handoff> attempt : List.of(store().assign(T, handoff.id(), "agent-1", tick()),
        store().resolve(T, handoff.id(), null, tick()))) {
      BatonException conflict = failure(attempt);
      assertThat(conflict.error()).isEqualTo(BatonError.CONFLICT);
      assertThat(conflict.extensions().getString("current_status")).isEqualTo("released");
    }
    Handoff cancelled = pending(conversation());
    Await.result(handoffs().cancel(T, cancelled.id(), tick()));
    assertThat(failure(store().release(T, cancelled.id(), tick())).extensions().getString("current_status"))
        .isEqualTo("cancelled");
  }

  // ---- conversation ownership ----

  @Test
  void ownersAreReadForManyConversationsAtOnceAndOnlyThoseThatExist() {
    String bot = conversation();
    String taken = conversation();
    String missing = conversation();
    Await.result(store().addMessage(T, message(bot, "m1", Speaker.USER, "hello"), "u1"));
    Await.result(store().addMessage(T, message(taken, "m2", Speaker.USER, "hello"), "u2"));
    Await.result(store().takeOver(T, taken, null, tick()));

    assertThat(Await.result(store().owners(T, List.of(bot, taken, missing))))
        .isEqualTo(Map.of(bot, Owner.BOT, taken, Owner.AGENT));
    assertThat(Await.result(store().owners("another-tenant", List.of(bot)))).as("per tenant").isEmpty();
  }

  @Test
  void takeOverOfABotConversationNeedsNoHandoffAndRepeatingItChangesNothing() {
    String conversationId = conversation();
    Await.result(store().addMessage(T, message(conversationId, "m1", Speaker.USER, "hello"), "phone-user"));

    ConversationView taken = Await.result(store().takeOver(T, conversationId, null, tick()));
    ConversationView again = Await.result(store().takeOver(T, conversationId, null, tick()));

    assertThat(taken.conversation().owner()).isEqualTo(Owner.AGENT);
    assertThat(taken.conversation().agentId()).isEqualTo(OperatorTransitions.UNNAMED_OPERATOR);
    assertThat(taken.conversation().userId()).isEqualTo("phone-user");
    assertThat(again.conversation()).isEqualTo(taken.conversation());
    assertThat(eventTypes(conversationId)).containsExactly(EventTypes.MESSAGE_CREATED,
        EventTypes.CONVERSATION_TAKEN_OVER);
    BatonException other = failure(store().takeOver(T, conversationId, "agent-9", tick()));
    assertThat(other.error()).isEqualTo(BatonError.CONFLICT);
    assertThat(other.extensions().getString("current_owner")).isEqualTo("AGENT");
  }

  @Test
  void takeOverAssignsThePendingHandoff() {
    Handoff handoff = pending(conversation());

    ConversationView taken = Await.result(store().takeOver(T, handoff.conversationId(), "agent-7", tick()));

    assertThat(taken.activeHandoff().status()).isEqualTo(HandoffStatus.ASSIGNED);
    assertThat(taken.activeHandoff().assignedAgent()).isEqualTo("agent-7");
    assertThat(Await.result(handoffs().get(T, handoff.id())).orElseThrow().assignedAgent()).isEqualTo("agent-7");
  }

  @Test
  void aConversationTakenOverKeepsItsAgentWhenTheBotHandsItOff() {
    String conversationId = conversation();
    Await.result(store().addMessage(T, message(conversationId, "m1", Speaker.USER, "hello"), "u"));
    Await.result(store().takeOver(T, conversationId, "agent-1", tick()));

    Handoff handoff = pending(conversationId);

    assertThat(handoff.status()).isEqualTo(HandoffStatus.PENDING);
    assertThat(conversationOf(conversationId).owner()).isEqualTo(Owner.AGENT);
  }

  @Test
  void handBackReleasesTheActiveHandoffAndRepeatingItChangesNothing() {
    Handoff handoff = pending(conversation());
    Await.result(store().assign(T, handoff.id(), "agent-1", tick()));

    ConversationView back = Await.result(store().handBack(T, handoff.conversationId(), tick()));
    ConversationView again = Await.result(store().handBack(T, handoff.conversationId(), tick()));

    assertThat(back.conversation().owner()).isEqualTo(Owner.BOT);
    assertThat(back.activeHandoff()).isNull();
    assertThat(again.conversation()).isEqualTo(back.conversation());
    assertThat(Await.result(handoffs().get(T, handoff.id())).orElseThrow().status()).isEqualTo(HandoffStatus.RELEASED);
    assertThat(eventTypes(handoff.conversationId())).containsExactly(EventTypes.HANDOFF_CREATED,
        EventTypes.HANDOFF_ASSIGNED, EventTypes.CONVERSATION_TAKEN_OVER, EventTypes.HANDOFF_RELEASED,
        EventTypes.CONVERSATION_HANDED_BACK);
  }

  @Test
  void aClosedConversationCannotBeTakenOverOrHandedBack() {
    Handoff handoff = pending(conversation());
    Await.result(store().assign(T, handoff.id(), "agent-1", tick()));
    Await.result(store().resolve(T, handoff.id(), null, tick()));

    assertThat(failure(store().takeOver(T, handoff.conversationId(), null, tick())).extensions()
        .getString("current_owner")).isEqualTo("CLOSED");
    assertThat(failure(store().handBack(T, handoff.conversationId(), tick())).error()).isEqualTo(BatonError.CONFLICT);
  }

  @Test
  void conversationOperationsOnAnUnknownConversationAreNotFound() {
    String unknown = conversation();
    assertThat(Await.result(store().conversation(T, unknown))).isEmpty();
    assertThat(failure(store().takeOver(T, unknown, null, tick())).error()).isEqualTo(BatonError.NOT_FOUND);
    assertThat(failure(store().handBack(T, unknown, tick())).error()).isEqualTo(BatonError.NOT_FOUND);
    assertThat(failure(store().assignActive(T, unknown, "a", tick())).error()).isEqualTo(BatonError.NOT_FOUND);
    assertThat(failure(store().messages(T, unknown, 1, 20)).error()).isEqualTo(BatonError.NOT_FOUND);
  }

  @Test
  void assignActiveAssignsTheConversationsHandoffOrConflictsWithoutOne() {
    Handoff handoff = pending(conversation());

    ConversationView view = Await.result(store().assignActive(T, handoff.conversationId(), "agent-3", tick()));

    assertThat(view.activeHandoff().id()).isEqualTo(handoff.id());
    assertThat(view.activeHandoff().assignedAgent()).isEqualTo("agent-3");
    Await.result(store().release(T, handoff.id(), tick()));
    BatonException none = failure(store().assignActive(T, handoff.conversationId(), "agent-3", tick()));
    assertThat(none.error()).isEqualTo(BatonError.CONFLICT);
    assertThat(none.extensions().getString("current_owner")).isEqualTo("BOT");
  }

  @Test
  void racingTakeOversAndHandBacksLeaveOneConsistentOwner() {
    Handoff handoff = pending(conversation());
    List<Future<ConversationView>> racers = IntStream.range(0, 30)
        .mapToObj(i -> i % 2 == 0
            ? store().takeOver(T, handoff.conversationId(), "agent-" + (i % 3), tick())
            : store().handBack(T, handoff.conversationId(), tick()))
        .toList();
    Await.result(Future.join(racers).otherwiseEmpty());

    assertThat(racers).allSatisfy(f -> {
      if (f.failed()) {
        assertThat(((BatonException) f.cause()).error()).isEqualTo(BatonError.CONFLICT);
      }
    });
    ConversationView view = Await.result(store().conversation(T, handoff.conversationId())).orElseThrow();
    assertThat(view.conversation().owner()).isIn(Owner.AGENT, Owner.BOT);
    if (view.conversation().owner() == Owner.BOT) {
      assertThat(view.conversation().agentId()).isNull();
    } else {
      assertThat(view.conversation().agentId()).isNotNull();
    }
  }

  // ---- messages ----

  @Test
  void addingAMessageCreatesTheConversationAndRepeatingItsIdStoresItOnce() {
    String conversationId = conversation();
    ConversationMessage sent = message(conversationId, "wamid.1", Speaker.AGENT, "Hello!");

    OperatorStore.MessageOutcome first = Await.result(store().addMessage(T, sent, "919876543210"));
    OperatorStore.MessageOutcome again = Await.result(store().addMessage(T, 
        message(conversationId, "wamid.1", Speaker.AGENT, "Hello again"), "919876543210"));

    assertThat(first.created()).isTrue();
    assertThat(first.message()).isEqualTo(sent);
    assertThat(first.owner()).isEqualTo(Owner.BOT);
    assertThat(again.created()).isFalse();
    assertThat(again.message()).isEqualTo(sent);
    assertThat(conversationOf(conversationId).userId()).isEqualTo("919876543210");
    assertThat(eventTypes(conversationId)).containsExactly(EventTypes.MESSAGE_CREATED);
  }

  @Test
  void aBurstOfMessagesIsStoredInOrderAndRepeatsOnce() {
    String conversationId = conversation();
    Await.result(store().addMessage(T, message(conversationId, "m0", Speaker.USER, "zero"), "customer"));

    List<OperatorStore.MessageOutcome> outcomes = Await.result(store().addMessages(T, List.of(
        message(conversationId, "m1", Speaker.USER, "one"), message(conversationId, "m0", Speaker.USER, "again"),
        message(conversationId, "m2", Speaker.USER, "two")), "customer"));

    assertThat(outcomes).extracting(OperatorStore.MessageOutcome::created).containsExactly(true, false, true);
    assertThat(Await.result(store().messages(T, conversationId, 1, 10)).messages())
        .extracting(ConversationMessage::content).containsExactly("zero", "one", "two");
    assertThat(conversationOf(conversationId).userId()).isEqualTo("customer");
  }

  @Test
  void aBurstsEventsCarryEachMessageAsItIsWrittenOnceAlsoWhenAnIdRepeatsWithinIt() {
    String conversationId = conversation();
    Instant at = Instant.parse("2026-03-04T05:06:07.123450Z");
    JsonObject media = new JsonObject().put("type", "image").put("content", new JsonObject().put("id", "media-1"))
        .put("caption", "ünïcode \"quoted\"").put("standby", false).put("reply_to", (String) null);
    ConversationMessage first = new ConversationMessage("m1", conversationId, Speaker.USER, "look", null, media, null, at);
    ConversationMessage again = new ConversationMessage("m1", conversationId, Speaker.USER, "look again", null, null,
        null, at.plusSeconds(1));
    ConversationMessage second = new ConversationMessage("m2", conversationId, Speaker.USER, null, null, null, null,
        at.plusSeconds(2));

    List<OperatorStore.MessageOutcome> outcomes = Await.result(store().addMessages(T, List.of(first, again, second),
        "customer"));

    assertThat(outcomes).extracting(OperatorStore.MessageOutcome::created).containsExactly(true, false, true);
    assertThat(outcomes).extracting(outcome -> outcome.message().content()).containsExactly("look", "look", null);
    List<Event> created = events().stream().filter(e -> conversationId.equals(e.conversationId())).toList();
    assertThat(created).extracting(Event::type).containsExactly(EventTypes.MESSAGE_CREATED, EventTypes.MESSAGE_CREATED);
    assertThat(created.get(0).data()).isEqualTo(OperatorTransitions.messageCreated(first).data());
    assertThat(created.get(1).data()).isEqualTo(OperatorTransitions.messageCreated(second).data());
  }

  @Test
  void racingBurstsOfTheSameMessagesStoreEachOnce() {
    // Two deliveries of one webhook (say at two instances) and other customers' bursts, all at once.
    List<String> conversations = IntStream.range(0, 8).mapToObj(i -> conversation()).toList();
    List<Future<List<OperatorStore.MessageOutcome>>> bursts = new ArrayList<>();
    for (int delivery = 0; delivery < 2; delivery++) {
      for (String conversationId : conversations) {
        bursts.add(store().addMessages(T, List.of(message(conversationId, "m1", Speaker.USER, "one"),
            message(conversationId, "m2", Speaker.USER, "two")), "customer"));
      }
    }
    Await.result(Future.all(bursts));

    for (String conversationId : conversations) {
      assertThat(Await.result(store().messages(T, conversationId, 1, 10)).messages())
          .extracting(ConversationMessage::content).containsExactly("one", "two");
      assertThat(eventTypes(conversationId)).containsExactly(EventTypes.MESSAGE_CREATED, EventTypes.MESSAGE_CREATED);
    }
    List<OperatorStore.MessageOutcome> outcomes = bursts.stream().flatMap(b -> b.result().stream()).toList();
    assertThat(outcomes).filteredOn(OperatorStore.MessageOutcome::created).hasSize(conversations.size() * 2);
    assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.owner()).isEqualTo(Owner.BOT));
  }

  @Test
  void aSentMessagesDeliveryStatusOnlyMovesForward() {
    String conversationId = conversation();
    Await.result(store().addMessage(T, message(conversationId, "wamid.out", Speaker.AGENT, "Hello!"), "u"));
    Await.result(store().addMessage(T, message(conversationId, "wamid.in", Speaker.USER, "hi"), "u"));
    List<String> where = List.of("elsewhere-" + UUID.randomUUID(), conversationId);

    var sent = Await.result(store().updateDeliveryStatus(T, where, "wamid.out", "sent", tick()));
    var read = Await.result(store().updateDeliveryStatus(T, where, "wamid.out", "read", tick()));
    var delivered = Await.result(store().updateDeliveryStatus(T, where, "wamid.out", "delivered", tick()));
    var customers = Await.result(store().updateDeliveryStatus(T, where, "wamid.in", "read", tick()));
    var unknown = Await.result(store().updateDeliveryStatus(T, where, "wamid.nope", "read", tick()));

    assertThat(sent).get().extracting(ConversationMessage::deliveryStatus).isEqualTo("sent");
    assertThat(read).get().extracting(ConversationMessage::deliveryStatus).isEqualTo("read");
    assertThat(delivered).isEmpty();
    assertThat(customers).isEmpty();
    assertThat(unknown).isEmpty();
    assertThat(Await.result(store().messages(T, conversationId, 1, 10)).messages().getFirst().deliveryStatus())
        .isEqualTo("read");
    assertThat(eventTypes(conversationId)).containsExactly(EventTypes.MESSAGE_CREATED, EventTypes.MESSAGE_CREATED,
        EventTypes.MESSAGE_STATUS_UPDATED, EventTypes.MESSAGE_STATUS_UPDATED);
  }

  @Test
  void messagesArePagedOldestFirst() {
    String conversationId = conversation();
    for (int i = 0; i < 5; i++) {
      Await.result(store().addMessage(T, message(conversationId, "m" + i, i % 2 == 0 ? Speaker.USER : Speaker.AI,
          "text " + i), "u"));
    }

    MessagePage first = Await.result(store().messages(T, conversationId, 1, 2));
    MessagePage last = Await.result(store().messages(T, conversationId, 3, 2));

    assertThat(first.messages()).extracting(ConversationMessage::messageId).containsExactly("m0", "m1");
    assertThat(last.messages()).extracting(ConversationMessage::messageId).containsExactly("m4");
    assertThat(first.totalCount()).isEqualTo(5);
    assertThat(Await.result(store().messages(T, conversationId, 4, 2)).messages()).isEmpty();
  }

  // ---- queue ----

  @Test
  void theQueueIsPendingHandoffsHighestPriorityFirstAndTheAgentsAssignedOnes() {
    String queue = "q-" + UUID.randomUUID();
    Handoff low = pending(conversation(), Priority.LOW, queue);
    Handoff urgent = pending(conversation(), Priority.URGENT, queue);
    Handoff medium = pending(conversation(), Priority.MEDIUM, queue);
    Handoff taken = pending(conversation(), Priority.CRITICAL, queue);
    pending(conversation(), Priority.CRITICAL, "other-" + queue);
    String agent = "agent-" + UUID.randomUUID();
    Await.result(store().assign(T, taken.id(), agent, tick()));

    OperatorStore.Queue view = Await.result(store().queue(T, queue, agent, 2));

    assertThat(view.pending()).extracting(Handoff::id).containsExactly(urgent.id(), medium.id());
    assertThat(view.totalPending()).isEqualTo(3);
    assertThat(view.assigned()).extracting(Handoff::id).containsExactly(taken.id());
    assertThat(Await.result(store().queue(T, queue, null, 10)).pending()).extracting(Handoff::id)
        .containsExactly(urgent.id(), medium.id(), low.id());
    assertThat(Await.result(store().queue(T, queue, null, 10)).assigned()).isEmpty();
  }

  // ---- approvals ----

  private Handoff approval(String conversationId) {
    Instant at = tick();
    Handoff draft = new Handoff(ids.next(), conversationId, "user-1", Handoff.KIND_APPROVAL, HandoffStatus.PENDING,
        Priority.MEDIUM, "general_support", "default", null, null, null, null, List.of(),
        List.of(ChatMessage.user("grant admin access?")),
        new JsonObject().put("approval", new JsonObject().put("question", "Grant access?")), null, at, at, 1);
    return Await.result(handoffs().createOrGetActive(T, draft)).handoff();
  }

  private static JsonObject decision(String approval, String approver) {
    return new JsonObject().put("answer", "ok").put("approval", approval).put("approved", "approved".equals(approval))
        .put("comments", null).put("approver_id", approver).put("answered_at", "2026-01-01T10:00:00Z");
  }

  @Test
  void answeringAnApprovalResolvesItHandsTheConversationBackAndEmitsTheHumansResponse() {
    Handoff handoff = approval(conversation());
    JsonObject answer = decision("approved", "MANAGER001");

    OperatorStore.Answered answered = Await.result(store().answer(T, handoff.id(), answer, tick()));

    assertThat(answered.handoff().status()).isEqualTo(HandoffStatus.RESOLVED);
    assertThat(answered.answer()).isEqualTo(answer);
    assertThat(conversationOf(handoff.conversationId()).owner()).isEqualTo(Owner.BOT);
    assertThat(eventTypes(handoff.conversationId())).containsExactly(EventTypes.HANDOFF_CREATED,
        EventTypes.HANDOFF_RESOLVED, EventTypes.HIL_RESPONSE, EventTypes.CONVERSATION_HANDED_BACK);
    Event response = events().stream().filter(e -> EventTypes.HIL_RESPONSE.equals(e.type())
        && handoff.id().equals(e.handoffId())).findFirst().orElseThrow();
    assertThat(response.data().getString("approval")).isEqualTo("approved");
    assertThat(response.agentId()).isEqualTo("MANAGER001");

    JsonObject retried = answer.copy().put("answered_at", "2026-01-01T10:05:00Z");
    assertThat(Await.result(store().answer(T, handoff.id(), retried, tick())).answer()).isEqualTo(answer);
    BatonException changed = failure(store().answer(T, handoff.id(), decision("denied", "MANAGER001"), tick()));
    assertThat(changed.error()).isEqualTo(BatonError.CONFLICT);
    assertThat(changed.extensions().getJsonObject("answer")).isEqualTo(answer);
    assertThat(eventTypes(handoff.conversationId())).hasSize(4);
  }

  @Test
  void onlyApprovalsTakeAnAnswer() {
    Handoff handoff = pending(conversation());

    BatonException refused = failure(store().answer(T, handoff.id(), decision("approved", "m"), tick()));

    assertThat(refused.error()).isEqualTo(BatonError.UNPROCESSABLE);
    assertThat(failure(store().answer(T, "ho-unknown", decision("approved", "m"), tick())).error())
        .isEqualTo(BatonError.NOT_FOUND);
  }

  @Test
  void racingAnswersRecordOneDecision() {
    Handoff handoff = approval(conversation());
    List<Future<OperatorStore.Answered>> racers = IntStream.range(0, 20)
        .mapToObj(i -> store().answer(T, handoff.id(), decision(i % 2 == 0 ? "approved" : "denied", "m-" + i), tick()))
        .toList();
    Await.result(Future.join(racers).otherwiseEmpty());

    assertThat(racers).filteredOn(Future::succeeded).hasSize(1);
    assertThat(eventTypes(handoff.conversationId())).filteredOn(EventTypes.HIL_RESPONSE::equals).hasSize(1);
  }

  // ---- agents ----

  @Test
  void agentsAreCreatedReplacedAndCarryTheirCurrentLoad() {
    String agentId = "agent-" + UUID.randomUUID();
    Agent first = new Agent(agentId, "Ana", List.of("billing_support"), 2, "online", tick());
    Agent.WithLoad created = Await.result(store().putAgent(T, first));
    assertThat(created.agent()).isEqualTo(first);
    assertThat(created.currentLoad()).isZero();

    Await.result(store().assign(T, pending(conversation()).id(), agentId, tick()));
    Handoff resolved = pending(conversation());
    Await.result(store().assign(T, resolved.id(), agentId, tick()));
    Await.result(store().resolve(T, resolved.id(), null, tick()));
    Agent replaced = new Agent(agentId, "Ana B.", List.of("general_support", "vip_support"), 3, "away", tick());
    Agent.WithLoad updated = Await.result(store().putAgent(T, replaced));

    assertThat(updated.agent()).isEqualTo(replaced);
    assertThat(updated.currentLoad()).isEqualTo(1);
    assertThat(Await.result(store().agent(T, agentId))).contains(updated);
    assertThat(Await.result(store().agents(T))).contains(updated);
    assertThat(Await.result(store().agent(T, "agent-unknown"))).isEmpty();
  }

  // ---- automatic assignment ----

  private static String queue() {
    return "q-" + UUID.randomUUID();
  }

  private String onlineAgent(String name, int maxConcurrent, String... queues) {
    String agentId = name + "-" + UUID.randomUUID();
    Await.result(store().putAgent(T, new Agent(agentId, name, List.of(queues), maxConcurrent, "online", tick())));
    return agentId;
  }

  private long load(String agentId) {
    return Await.result(store().agent(T, agentId)).orElseThrow().currentLoad();
  }

  private List<Event> assignedEvents(String queue) {
    return events().stream().filter(e -> EventTypes.HANDOFF_ASSIGNED.equals(e.type()) && queue.equals(e.queue()))
        .toList();
  }

  @Test
  void autoAssignmentGivesTheHighestPriorityOldestHandoffToTheLeastLoadedAgent() {
    String queue = queue();
    String ana = onlineAgent("a", 3, queue);
    String bea = onlineAgent("b", 3, "elsewhere", queue);
    Handoff low = pending(conversation(), Priority.LOW, queue);
    Handoff medium = pending(conversation(), Priority.MEDIUM, queue);
    Handoff urgent = pending(conversation(), Priority.URGENT, queue);
    Handoff older = pending(conversation(), Priority.MEDIUM, queue);
    Await.result(store().assign(T, older.id(), ana, tick()));
    Instant at = tick();

    Handoff first = Await.result(store().assignNext(T, List.of(queue), at)).orElseThrow();
    Handoff second = Await.result(store().assignNext(T, List.of(queue), tick())).orElseThrow();
    Handoff third = Await.result(store().assignNext(T, List.of(queue), tick())).orElseThrow();

    assertThat(first.id()).isEqualTo(urgent.id());
    assertThat(first.assignedAgent()).isEqualTo(bea);
    assertThat(first.status()).isEqualTo(HandoffStatus.ASSIGNED);
    assertThat(first.updatedAt()).isEqualTo(at);
    // a and b hold one each now: the lower id takes the next.
    assertThat(second.id()).isEqualTo(medium.id());
    assertThat(second.assignedAgent()).isEqualTo(ana);
    assertThat(third.id()).isEqualTo(low.id());
    assertThat(third.assignedAgent()).isEqualTo(bea);
    assertThat(Await.result(store().assignNext(T, List.of(queue), tick()))).isEmpty();
    assertThat(conversationOf(urgent.conversationId()).agentId()).isEqualTo(bea);
    assertThat(eventTypes(urgent.conversationId())).containsExactly(EventTypes.HANDOFF_CREATED,
        EventTypes.HANDOFF_ASSIGNED, EventTypes.CONVERSATION_TAKEN_OVER);
    assertThat(assignedEvents(queue)).hasSize(4)
        .filteredOn(e -> e.data().getBoolean("auto_assigned", false)).hasSize(3);
  }

  @Test
  void autoAssignmentNeedsAnOnlineAgentWithRoomWhoServesTheQueue() {
    String queue = queue();
    String away = "away-" + UUID.randomUUID();
    Await.result(store().putAgent(T, new Agent(away, "away", List.of(queue), 5, "away", tick())));
    onlineAgent("other", 5, "other-" + queue);
    String one = onlineAgent("one", 1, queue);
    Handoff h1 = pending(conversation(), Priority.MEDIUM, queue);
    pending(conversation(), Priority.MEDIUM, queue);

    assertThat(Await.result(store().assignNext(T, List.of(queue), tick()))).map(Handoff::id).contains(h1.id());
    assertThat(Await.result(store().assignNext(T, List.of(queue), tick()))).isEmpty();
    assertThat(Await.result(store().assignNext(T, List.of(), tick()))).isEmpty();
    assertThat(load(one)).isEqualTo(1);
    assertThat(load(away)).isZero();
    assertThat(Await.result(store().queue(T, queue, null, 10)).totalPending()).isEqualTo(1);
  }

  @Test
  void autoAssignmentLeavesAConversationAnAgentTookOverToThatAgent() {
    String queue = queue();
    onlineAgent("a", 5, queue);
    String conversationId = conversation();
    Await.result(store().addMessage(T, message(conversationId, "m1", Speaker.USER, "hello"), "u"));
    Await.result(store().takeOver(T, conversationId, "agent-7", tick()));
    Handoff handoff = pending(conversationId, Priority.HIGH, queue);

    assertThat(Await.result(store().assignNext(T, List.of(queue), tick()))).isEmpty();
    assertThat(Await.result(handoffs().get(T, handoff.id())).orElseThrow().status()).isEqualTo(HandoffStatus.PENDING);
  }

  @Test
  void racingAutoAssignmentsAssignEachHandoffOnceAndFillEveryAgentExactlyToCapacity() {
    String queue = queue();
    List<String> agents = IntStream.rangeClosed(1, 4).mapToObj(i -> onlineAgent("r" + i, i, queue)).toList();
    List<Handoff> waiting = IntStream.range(0, 30)
        .mapToObj(i -> pending(conversation(), Priority.values()[i % 5], queue)).toList();
    Instant at = tick();

    List<Future<Optional<Handoff>>> racers = IntStream.range(0, 60)
        .mapToObj(i -> (i % 2 == 0 ? store() : otherInstance()).assignNext(T, List.of(queue), at))
        .toList();
    Await.result(Future.all(racers));

    List<Handoff> assigned = racers.stream().map(Future::result).flatMap(Optional::stream).toList();
    assertThat(assigned).hasSize(10);
    assertThat(assigned).extracting(Handoff::id).doesNotHaveDuplicates();
    for (int i = 0; i < agents.size(); i++) {
      assertThat(load(agents.get(i))).as("load of agent %d", i + 1).isEqualTo(i + 1);
    }
    assertThat(assignedEvents(queue)).hasSize(10).extracting(Event::handoffId).doesNotHaveDuplicates();
    // The ten most urgent went first.
    List<String> expected = waiting.stream().sorted(HandoffStore.LISTING_ORDER).limit(10).map(Handoff::id).toList();
    assertThat(assigned).extracting(Handoff::id).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(Await.result(store().queue(T, queue, null, 100)).totalPending()).isEqualTo(20);
  }

  // ---- queue position and time to assign ----

  @Test
  void aPendingHandoffKnowsItsPlaceInItsQueue() {
    String queue = queue();
    Handoff low = pending(conversation(), Priority.LOW, queue);
    Handoff urgent = pending(conversation(), Priority.URGENT, queue);
    Handoff medium = pending(conversation(), Priority.MEDIUM, queue);
    pending(conversation(), Priority.CRITICAL, "other-" + queue);

    assertThat(Await.result(store().standing(T, low.id()))).map(OperatorStore.Standing::position).contains(3L);
    assertThat(Await.result(store().standing(T, urgent.id()))).map(OperatorStore.Standing::position).contains(1L);
    OperatorStore.Standing standing = Await.result(store().standing(T, medium.id())).orElseThrow();
    assertThat(standing.position()).isEqualTo(2);
    assertThat(standing.waitingSince()).isEqualTo(medium.createdAt());
    assertThat(standing.queue()).isEqualTo(queue);
    Await.result(store().assign(T, urgent.id(), "agent-1", tick()));
    assertThat(Await.result(store().standing(T, urgent.id()))).isEmpty();
    assertThat(Await.result(store().standing(T, low.id()))).map(OperatorStore.Standing::position).contains(2L);
    assertThat(Await.result(store().standing(T, "ho-unknown"))).isEmpty();
  }

  @Test
  void aPlaceIsCountedExactlyUpToTheLimitAndCappedBeyondIt() {
    String queue = queue();
    Handoff first = pending(conversation(), Priority.MEDIUM, queue);
    List<Future<HandoffStore.CreateOutcome>> behind = new ArrayList<>();
    for (int i = 0; i < OperatorStore.POSITION_COUNT_LIMIT + 1; i++) {
      Instant at = tick();
      behind.add(handoffs().createOrGetActive(T, new Handoff(ids.next(), conversation(), "user-1", Handoff.KIND_HANDOFF,
          HandoffStatus.PENDING, Priority.MEDIUM, queue, "default", null, null, null, null, List.of(),
          List.of(ChatMessage.user("a human please")), new JsonObject(), null, at, at, 1)));
    }
    Await.result(Future.all(behind));
    Handoff justInside = behind.get(OperatorStore.POSITION_COUNT_LIMIT - 2).result().handoff();
    Handoff atTheLimit = behind.get(OperatorStore.POSITION_COUNT_LIMIT - 1).result().handoff();
    Handoff beyond = behind.getLast().result().handoff();

    assertThat(Await.result(store().standing(T, first.id()))).map(OperatorStore.Standing::position).contains(1L);
    assertThat(Await.result(store().standing(T, justInside.id()))).map(OperatorStore.Standing::position)
        .contains((long) OperatorStore.POSITION_COUNT_LIMIT);
    assertThat(Await.result(store().standing(T, atTheLimit.id()))).map(OperatorStore.Standing::position)
        .contains((long) OperatorStore.POSITION_COUNT_LIMIT + 1);
    // One more ahead than is counted: still "further back than the limit".
    assertThat(Await.result(store().standing(T, beyond.id()))).map(OperatorStore.Standing::position)
        .contains((long) OperatorStore.POSITION_COUNT_LIMIT + 1);
    Handoff urgent = pending(conversation(), Priority.URGENT, queue);
    assertThat(Await.result(store().standing(T, urgent.id()))).map(OperatorStore.Standing::position).contains(1L);
  }

  @Test
  void theMedianTimeToAssignComesFromTheQueuesLatestAssignments() {
    String queue = queue();
    assertThat(Await.result(store().medianTimeToAssign(T, queue, 50))).isEmpty();
    Handoff first = pending(conversation(), Priority.MEDIUM, queue);
    Handoff second = pending(conversation(), Priority.MEDIUM, queue);
    Handoff third = pending(conversation(), Priority.MEDIUM, queue);
    Await.result(store().assign(T, first.id(), "agent-1", first.createdAt().plusSeconds(10)));
    Await.result(store().assign(T, second.id(), "agent-1", second.createdAt().plusSeconds(40)));
    Await.result(store().assign(T, third.id(), "agent-2", third.createdAt().plusSeconds(100)));

    assertThat(Await.result(store().medianTimeToAssign(T, queue, 50))).contains(Duration.ofSeconds(40));
    assertThat(Await.result(store().medianTimeToAssign(T, queue, 2))).contains(Duration.ofSeconds(70));
    assertThat(Await.result(store().medianTimeToAssign(T, queue, 1))).contains(Duration.ofSeconds(100));
  }

  // ---- escalation ----

  @Test
  void aHandoffWaitingPastItsQueuesMaxWaitEscalatesOneStepAtATime() {
    String queue = queue();
    String fallback = "fallback-" + queue;
    EscalationPolicy policy = new EscalationPolicy(new QueueEscalation(Duration.ZERO, true, ""), Map.of(
        queue, new QueueEscalation(Duration.ofSeconds(60), true, fallback),
        fallback, new QueueEscalation(Duration.ofSeconds(120), true, "")));
    Handoff handoff = pending(conversation(), Priority.HIGH, queue);
    Handoff assigned = pending(conversation(), Priority.LOW, queue);
    Await.result(store().assign(T, assigned.id(), "agent-1", tick()));
    Instant created = handoff.createdAt();

    assertThat(Await.result(store().escalateDue(policy, created.plusSeconds(59), 100))).isEmpty();
    List<OperatorStore.Escalated> first = Await.result(store().escalateDue(policy, created.plusSeconds(60), 100));
    assertThat(Await.result(store().escalateDue(policy, created.plusSeconds(61), 100))).isEmpty();

    assertThat(first).singleElement().satisfies(e -> {
      assertThat(e.handoff().id()).isEqualTo(handoff.id());
      assertThat(e.handoff().priority()).isEqualTo(Priority.URGENT);
      assertThat(e.handoff().queue()).isEqualTo(fallback);
      assertThat(e.fromPriority()).isEqualTo(Priority.HIGH);
      assertThat(e.fromQueue()).isEqualTo(queue);
      assertThat(e.step()).isEqualTo(1);
    });
    Handoff stored = Await.result(handoffs().get(T, handoff.id())).orElseThrow();
    assertThat(stored.priority()).isEqualTo(Priority.URGENT);
    assertThat(stored.queue()).isEqualTo(fallback);
    assertThat(stored.status()).isEqualTo(HandoffStatus.PENDING);

    // In the fallback queue, its wait starts again: 120 s there, then CRITICAL, then nothing more.
    assertThat(Await.result(store().escalateDue(policy, created.plusSeconds(179), 100))).isEmpty();
    assertThat(Await.result(store().escalateDue(policy, created.plusSeconds(180), 100)))
        .singleElement().satisfies(e -> {
          assertThat(e.handoff().priority()).isEqualTo(Priority.CRITICAL);
          assertThat(e.handoff().queue()).isEqualTo(fallback);
          assertThat(e.step()).isEqualTo(2);
        });
    assertThat(Await.result(store().escalateDue(policy, created.plusSeconds(300), 100))).isEmpty();
    assertThat(Await.result(store().escalateDue(policy, created.plusSeconds(3_000), 100))).isEmpty();

    List<Event> escalations = events().stream()
        .filter(e -> EventTypes.HANDOFF_ESCALATED.equals(e.type()) && handoff.id().equals(e.handoffId())).toList();
    assertThat(escalations).hasSize(2);
    assertThat(escalations.getFirst().data().getString("from_queue")).isEqualTo(queue);
    assertThat(escalations.getFirst().data().getString("to_priority")).isEqualTo("URGENT");
    assertThat(escalations.getFirst().data().getLong("waited_seconds")).isEqualTo(60);
    assertThat(escalations.getLast().data().getInteger("step")).isEqualTo(2);
    assertThat(events().stream().filter(e -> EventTypes.HANDOFF_ESCALATED.equals(e.type())
        && assigned.id().equals(e.handoffId()))).isEmpty();
  }

  @Test
  void racingSweepersEscalateEachDueHandoffOnce() {
    String queue = queue();
    EscalationPolicy policy = new EscalationPolicy(new QueueEscalation(Duration.ZERO, true, ""),
        Map.of(queue, new QueueEscalation(Duration.ofSeconds(30), true, "")));
    List<Handoff> waiting = IntStream.range(0, 20).mapToObj(i -> pending(conversation(), Priority.LOW, queue)).toList();
    Instant now = waiting.getLast().createdAt().plusSeconds(30);

    List<Future<List<OperatorStore.Escalated>>> sweepers = IntStream.range(0, 8)
        .mapToObj(i -> (i % 2 == 0 ? store() : otherInstance()).escalateDue(policy, now, 3))
        .toList();
    Await.result(Future.all(sweepers));
    // Whatever the first sweepers left, later ones take, as a timer's next round would.
    while (!Await.result(store().escalateDue(policy, now, 3)).isEmpty()) {
      // keep sweeping
    }

    List<Event> escalated = events().stream()
        .filter(e -> EventTypes.HANDOFF_ESCALATED.equals(e.type()) && queue.equals(e.queue())).toList();
    assertThat(escalated).hasSize(20).extracting(Event::handoffId).doesNotHaveDuplicates();
    assertThat(waiting).allSatisfy(h ->
        assertThat(Await.result(handoffs().get(T, h.id())).orElseThrow().priority()).isEqualTo(Priority.MEDIUM));
  }

  // ---- messages awaiting the bot's buffer ----

  private static final Instant FAR_FUTURE = Instant.parse("2999-01-01T00:00:00Z");

  /** Marks are every tenant's: earlier cases' are taken away first, so a case sees its own only. */
  private void drainAwaiting() {
    List<OperatorStore.Awaiting> claimed;
    do {
      claimed = Await.result(store().claimAwaiting(FAR_FUTURE, FAR_FUTURE, Duration.ofSeconds(1), 1_000));
      Await.result(store().clearAwaiting(claimed.stream().map(OperatorStore.Awaiting::mark).toList()));
    } while (!claimed.isEmpty());
  }

  private static java.util.Set<String> awaitBot(String... messageIds) {
    return java.util.Set.of(messageIds);
  }

  private ConversationMessage customerMessage(String conversationId, String messageId) {
    return new ConversationMessage(messageId, conversationId, Speaker.USER, "text " + messageId, null,
        new JsonObject().put("provider_message_id", messageId).put("text", "text " + messageId), null, tick());
  }

  private List<String> claimedIds(List<OperatorStore.Awaiting> claimed) {
    return claimed.stream().map(a -> a.conversationId() + "/" + a.messageId()).toList();
  }

  /** The marks the store made, message id to mark, from addMessages' outcomes. */
  private static java.util.Map<String, Long> marks(List<OperatorStore.MessageOutcome> outcomes) {
    java.util.Map<String, Long> marks = new java.util.HashMap<>();
    outcomes.stream().filter(outcome -> outcome.awaitingMark() != OperatorStore.MessageOutcome.NOT_MARKED)
        .forEach(outcome -> marks.put(outcome.message().messageId(), outcome.awaitingMark()));
    return marks;
  }

  @Test
  void onlyNewMessagesAskedForAreMarkedAsAwaitingTheBotAndARepeatIsNotMarkedAgain() {
    drainAwaiting();
    String conversationId = conversation();
    java.util.Map<String, Long> marks = marks(Await.result(store().addMessages(T, List.of(
        customerMessage(conversationId, "m1"), customerMessage(conversationId, "m2"),
        customerMessage(conversationId, "m3")), "customer", awaitBot("m1", "m3"))));
    assertThat(marks).containsOnlyKeys("m1", "m3");
    assertThat(Await.result(store().addMessage(T, customerMessage(conversationId, "m4"), "customer"))
        .awaitingMark()).isEqualTo(OperatorStore.MessageOutcome.NOT_MARKED);
    Await.result(store().addMessages(T, List.of(customerMessage(conversationId, "m5")), "customer"));
    // The provider's retry of m1 and m3: stored once, marked once, and the mark not made anew once cleared.
    Await.result(store().clearAwaiting(List.of(marks.get("m3"))));
    assertThat(marks(Await.result(store().addMessages(T, List.of(customerMessage(conversationId, "m1"),
        customerMessage(conversationId, "m3")), "customer", awaitBot("m1", "m3"))))).isEmpty();

    List<OperatorStore.Awaiting> claimed =
        Await.result(store().claimAwaiting(FAR_FUTURE, clock, Duration.ofSeconds(30), 100));

    assertThat(claimedIds(claimed)).containsExactly(conversationId + "/m1");
    assertThat(claimed.getFirst().mark()).isEqualTo(marks.get("m1"));
    assertThat(claimed.getFirst().tenant()).isEqualTo(T);
    assertThat(claimed.getFirst().media())
        .isEqualTo(new JsonObject().put("provider_message_id", "m1").put("text", "text m1"));
  }

  @Test
  void clearedMarksAreNotClaimedAndMarksAreClaimedOldestFirstOnceOldEnough() {
    drainAwaiting();
    String first = conversation();
    String second = conversation();
    java.util.Map<String, Long> marks = new java.util.HashMap<>(marks(Await.result(store().addMessages(T,
        List.of(customerMessage(first, "a1"), customerMessage(first, "a2")), "customer", awaitBot("a1", "a2")))));
    Instant cutoff = clock;
    marks.putAll(marks(Await.result(store().addMessages(T, List.of(customerMessage(second, "b1")), "customer",
        awaitBot("b1")))));
    String tenant = otherTenant();
    marks.putAll(marks(Await.result(store().addMessages(tenant, List.of(customerMessage(first, "a3")), "customer",
        awaitBot("a3")))));

    Await.result(store().clearAwaiting(List.of(marks.get("a1"), Long.MAX_VALUE)));

    assertThat(claimedIds(Await.result(store().claimAwaiting(cutoff, clock, Duration.ofSeconds(30), 100))))
        .containsExactly(first + "/a2");
    List<OperatorStore.Awaiting> rest =
        Await.result(store().claimAwaiting(FAR_FUTURE, clock, Duration.ofSeconds(30), 100));
    assertThat(claimedIds(rest)).containsExactly(second + "/b1", first + "/a3");
    assertThat(rest.getLast().tenant()).isEqualTo(tenant);

    Await.result(store().clearAwaiting(List.of(marks.get("a2"), marks.get("b1"), marks.get("a3"))));
    assertThat(Await.result(store().claimAwaiting(FAR_FUTURE, FAR_FUTURE, Duration.ofSeconds(30), 100))).isEmpty();
  }

  @Test
  void aClaimedMarkIsLeasedAndAnotherClaimerGetsItWhenTheLeaseEnds() {
    drainAwaiting();
    String conversationId = conversation();
    Await.result(store().addMessages(T, List.of(customerMessage(conversationId, "m1")), "customer", awaitBot("m1")));
    Instant now = tick();

    assertThat(Await.result(store().claimAwaiting(now, now, Duration.ofSeconds(30), 10))).hasSize(1);
    assertThat(Await.result(otherInstance().claimAwaiting(now, now.plusSeconds(29), Duration.ofSeconds(30), 10)))
        .isEmpty();
    assertThat(claimedIds(Await.result(otherInstance().claimAwaiting(now, now.plusSeconds(30),
        Duration.ofSeconds(30), 10)))).containsExactly(conversationId + "/m1");
    assertThat(Await.result(store().claimAwaiting(now, now.plusSeconds(59), Duration.ofSeconds(30), 10))).isEmpty();
  }

  @Test
  void racingClaimersClaimEachMarkOnce() {
    drainAwaiting();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String conversationId = conversation();
      Await.result(store().addMessages(T, List.of(customerMessage(conversationId, "m1"),
          customerMessage(conversationId, "m2")), "customer", awaitBot("m1", "m2")));
      expected.add(conversationId + "/m1");
      expected.add(conversationId + "/m2");
    }
    Instant now = tick();

    List<Future<List<OperatorStore.Awaiting>>> claimers = IntStream.range(0, 8)
        .mapToObj(i -> (i % 2 == 0 ? store() : otherInstance()).claimAwaiting(now, now, Duration.ofSeconds(30), 4))
        .toList();
    Await.result(Future.all(claimers));
    List<String> claimed = new ArrayList<>();
    claimers.forEach(claimer -> claimed.addAll(claimedIds(claimer.result())));
    // Whatever the racing claimers left, later ones take, as the sweeper's next round would.
    List<OperatorStore.Awaiting> more;
    while (!(more = Await.result(store().claimAwaiting(now, now, Duration.ofSeconds(30), 4))).isEmpty()) {
      claimed.addAll(claimedIds(more));
    }

    assertThat(claimed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
  }

  // ---- tenants ----

  /** Another tenant, named per case so that cases never see each other's rows. */
  private static String otherTenant() {
    return "acme-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private Handoff pendingIn(String tenant, String conversationId, String queue) {
    Instant at = tick();
    Handoff draft = new Handoff(ids.next(), conversationId, "user-" + tenant, Handoff.KIND_HANDOFF,
        HandoffStatus.PENDING, Priority.MEDIUM, queue, "default", null, null, null, null, List.of(),
        List.of(ChatMessage.user("a human please")), new JsonObject(), null, at, at, 1);
    return Await.result(handoffs().createOrGetActive(tenant, draft)).handoff();
  }

  @Test
  void anotherTenantsHandoffIsUnknownToEveryTransition() {
    Handoff handoff = pending(conversation());
    Handoff approval = approval(conversation());
    String other = otherTenant();

    for (Future<?> attempt : List.of(store().assign(other, handoff.id(), "agent-1", tick()),
        store().release(other, handoff.id(), tick()), store().resolve(other, handoff.id(), "done", tick()),
        store().answer(other, approval.id(), decision("approved", "approver-1"), tick()))) {
      assertThat(failure(attempt).error()).isEqualTo(BatonError.NOT_FOUND);
    }
    assertThat(Await.result(store().standing(other, handoff.id()))).isEmpty();
    assertThat(Await.result(handoffs().get(T, handoff.id()))).contains(handoff);
    assertThat(Await.result(handoffs().get(T, approval.id()))).contains(approval);
    assertThat(eventTypes(handoff.conversationId())).containsExactly(EventTypes.HANDOFF_CREATED);
  }

  @Test
  void oneConversationIdOfTwoTenantsHasTwoOwnersAndTwoTimelines() {
    String conversationId = conversation();
    String other = otherTenant();
    Handoff ours = pending(conversationId);
    Await.result(store().addMessage(T, message(conversationId, "m-1", Speaker.USER, "ours"), "user-1"));
    Await.result(store().addMessages(other, List.of(message(conversationId, "m-1", Speaker.USER, "theirs"),
        message(conversationId, "m-2", Speaker.USER, "theirs too")), "user-2"));

    assertThat(Await.result(store().takeOver(other, conversationId, "agent-9", tick())).conversation().owner())
        .isEqualTo(Owner.AGENT);
    assertThat(conversationOf(conversationId).owner()).isEqualTo(Owner.QUEUED);
    assertThat(Await.result(store().conversation(other, conversationId)).orElseThrow().activeHandoff()).isNull();
    assertThat(Await.result(store().messages(T, conversationId, 1, 10)).messages())
        .extracting(ConversationMessage::content).containsExactly("ours");
    assertThat(Await.result(store().messages(other, conversationId, 1, 10)).messages())
        .extracting(ConversationMessage::content).containsExactly("theirs", "theirs too");
    assertThat(Await.result(store().message(other, conversationId, "m-1")).orElseThrow().content()).isEqualTo("theirs");
    assertThat(Await.result(store().lastCustomerMessage(T, conversationId)).orElseThrow().content()).isEqualTo("ours");
    assertThat(Await.result(store().conversation(otherTenant(), conversationId))).isEmpty();
    assertThat(failure(store().messages(otherTenant(), conversationId, 1, 10)).error()).isEqualTo(BatonError.NOT_FOUND);
    assertThat(Await.result(store().assignActive(T, conversationId, "agent-1", tick())).activeHandoff().id())
        .isEqualTo(ours.id());
    assertThat(events().stream().filter(e -> conversationId.equals(e.conversationId()))
        .filter(e -> e.type().equals(EventTypes.MESSAGE_CREATED)).map(Event::tenant))
        .containsExactlyInAnyOrder(T, other, other);
  }

  @Test
  void agentsOfTwoTenantsMayShareAnIdAndNeverTakeTheOtherTenantsHandoffs() {
    String queue = queue();
    String other = otherTenant();
    String agentId = "agent-" + UUID.randomUUID();
    Await.result(store().putAgent(other, new Agent(agentId, "Theirs", List.of(queue), 5, "online", tick())));
    Handoff ours = pending(conversation(), Priority.URGENT, queue);

    assertThat(Await.result(store().assignNext(other, List.of(queue), tick()))).isEmpty();
    assertThat(Await.result(store().assignNext(T, List.of(queue), tick()))).isEmpty();
    assertThat(Await.result(store().agent(T, agentId))).isEmpty();
    assertThat(Await.result(store().agents(T))).extracting(a -> a.agent().agentId()).doesNotContain(agentId);
    assertThat(Await.result(store().servedQueues()).get(other)).containsExactly(queue);

    Await.result(store().putAgent(T, new Agent(agentId, "Ours", List.of(queue), 1, "online", tick())));
    Handoff theirs = pendingIn(other, conversation(), queue);
    Handoff assigned = Await.result(store().assignNext(T, List.of(queue), tick())).orElseThrow();
    assertThat(assigned.id()).isEqualTo(ours.id());
    assertThat(Await.result(store().assignNext(other, List.of(queue), tick()))).map(Handoff::id).contains(theirs.id());
    assertThat(Await.result(store().agent(T, agentId)).orElseThrow().agent().name()).isEqualTo("Ours");
    assertThat(Await.result(store().agent(other, agentId)).orElseThrow().agent().name()).isEqualTo("Theirs");
    assertThat(load(agentId)).isEqualTo(1);
    assertThat(Await.result(store().agent(other, agentId)).orElseThrow().currentLoad()).isEqualTo(1);
    assertThat(Await.result(store().queue(other, queue, agentId, 10)).assigned()).extracting(Handoff::id)
        .containsExactly(theirs.id());
  }

  @Test
  void racingAutoAssignmentsOfTwoTenantsOnOneQueueNameStayInTheirTenants() {
    String queue = queue();
    String other = otherTenant();
    String ourAgent = onlineAgent("ours", 3, queue);
    String theirAgent = "theirs-" + UUID.randomUUID();
    Await.result(store().putAgent(other, new Agent(theirAgent, "theirs", List.of(queue), 3, "online", tick())));
    List<Handoff> ours = IntStream.range(0, 6).mapToObj(i -> pending(conversation(), Priority.MEDIUM, queue)).toList();
    List<Handoff> theirs = IntStream.range(0, 6).mapToObj(i -> pendingIn(other, conversation(), queue)).toList();
    Instant at = tick();

    List<Future<Optional<Handoff>>> racers = IntStream.range(0, 20)
        .mapToObj(i -> (i % 2 == 0 ? store() : otherInstance()).assignNext(i % 4 < 2 ? T : other, List.of(queue), at))
        .toList();
    Await.result(Future.all(racers));

    List<Handoff> assigned = racers.stream().map(Future::result).flatMap(Optional::stream).toList();
    assertThat(assigned).hasSize(6).extracting(Handoff::id).doesNotHaveDuplicates();
    List<String> ourIds = ours.stream().map(Handoff::id).toList();
    List<String> theirIds = theirs.stream().map(Handoff::id).toList();
    assertThat(assigned).filteredOn(h -> h.assignedAgent().equals(ourAgent)).hasSize(3)
        .allSatisfy(h -> assertThat(ourIds).contains(h.id()));
    assertThat(assigned).filteredOn(h -> h.assignedAgent().equals(theirAgent)).hasSize(3)
        .allSatisfy(h -> assertThat(theirIds).contains(h.id()));
    assertThat(assignedEvents(queue)).hasSize(6)
        .allSatisfy(e -> assertThat(e.tenant()).isEqualTo(ourIds.contains(e.handoffId()) ? T : other));
  }
}
