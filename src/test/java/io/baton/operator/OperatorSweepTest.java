package io.baton.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.config.BatonConfig.AutoAssignConfig;
import io.baton.config.BatonConfig.QueueEscalation;
import io.baton.events.Event;
import io.baton.events.EventTypes;
import io.baton.handoff.ChatMessage;
import io.baton.handoff.Handoff;
import io.baton.handoff.HandoffIds;
import io.baton.handoff.HandoffStatus;
import io.baton.handoff.Priority;
import io.baton.storage.MemoryStorage;
import io.baton.support.Await;
import io.baton.support.MutableClock;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The periodic sweep: escalation when a handoff waited too long, then assignment, on a clock moved by hand. */
@Timeout(30)
class OperatorSweepTest {

  /** The tenant the cases act in (tenant cases add others). */
  static final String T = "default";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T09:00:00Z"));
  private final EscalationPolicy policy = new EscalationPolicy(new QueueEscalation(Duration.ZERO, true, ""), Map.of(
      "general_support", new QueueEscalation(Duration.ofSeconds(300), false, "vip_support")));
  private MemoryStorage storage;

  @BeforeEach
  void setUp() {
    storage = new MemoryStorage();
  }

  private OperatorSweep sweep(AutoAssignConfig autoAssign) {
    AutoAssigner assigner = new AutoAssigner(storage.operator(), autoAssign, clock);
    return new OperatorSweep(storage.operator(), policy, 10, assigner, clock);
  }

  private Handoff pending(String conversationId) {
    Instant at = clock.instant();
    Handoff draft = new Handoff(new HandoffIds(clock).next(), conversationId, "user-1", Handoff.KIND_HANDOFF,
        HandoffStatus.PENDING, Priority.MEDIUM, "general_support", "default", null, null, null, null, List.of(),
        List.of(ChatMessage.user("a human please")), new JsonObject(), null, at, at, 1);
    return Await.result(storage.handoffs().createOrGetActive(T, draft)).handoff();
  }

  @Test
  void aHandoffNobodyTakesMovesToTheFallbackQueueOnceAndIsAssignedThere() {
    Await.result(storage.operator().putAgent(T, new Agent("vip-1", "Vera", List.of("vip_support"), 2, "online",
        clock.instant())));
    Handoff handoff = pending("conv-1");
    OperatorSweep sweep = sweep(new AutoAssignConfig(true, Map.of()));

    clock.advance(Duration.ofSeconds(299));
    OperatorSweep.Result early = Await.result(sweep.sweep());
    clock.advance(Duration.ofSeconds(1));
    OperatorSweep.Result due = Await.result(sweep.sweep());
    OperatorSweep.Result again = Await.result(sweep.sweep());

    assertThat(early.escalated()).isEmpty();
    assertThat(early.assigned()).isEmpty();
    assertThat(due.escalated()).singleElement().satisfies(e -> {
      assertThat(e.handoff().queue()).isEqualTo("vip_support");
      assertThat(e.handoff().priority()).isEqualTo(Priority.MEDIUM);
    });
    assertThat(due.assigned()).singleElement().satisfies(h -> {
      assertThat(h.id()).isEqualTo(handoff.id());
      assertThat(h.assignedAgent()).isEqualTo("vip-1");
    });
    assertThat(again.escalated()).isEmpty();
    assertThat(again.assigned()).isEmpty();
    assertThat(storage.events().readAfter(0, 100)).extracting(Event::type).containsExactly(
        EventTypes.HANDOFF_CREATED, EventTypes.HANDOFF_ESCALATED, EventTypes.HANDOFF_ASSIGNED,
        EventTypes.CONVERSATION_TAKEN_OVER);
  }

  @Test
  void aQueueSwitchedOffIsNotAssigned() {
    Await.result(storage.operator().putAgent(T, new Agent("vip-1", "Vera", List.of("vip_support"), 2, "online",
        clock.instant())));
    Handoff handoff = pending("conv-1");
    OperatorSweep sweep = sweep(new AutoAssignConfig(true, Map.of("vip_support", false)));

    clock.advance(Duration.ofSeconds(300));
    OperatorSweep.Result result = Await.result(sweep.sweep());

    assertThat(result.escalated()).hasSize(1);
    assertThat(result.assigned()).isEmpty();
    assertThat(Await.result(storage.handoffs().get(T, handoff.id())).orElseThrow().status())
        .isEqualTo(HandoffStatus.PENDING);
  }

  @Test
  void withAutoAssignmentOffTheAgentsQueuesAreLeftAlone() {
    Await.result(storage.operator().putAgent(T, new Agent("gen-1", "Gil", List.of("general_support"), 2, "online",
        clock.instant())));
    pending("conv-1");

    OperatorSweep.Result result = Await.result(sweep(new AutoAssignConfig(false, Map.of())).sweep());

    assertThat(result.assigned()).isEmpty();
    assertThat(Await.result(sweep(new AutoAssignConfig(true, Map.of())).sweep()).assigned()).hasSize(1);
  }
}
