package io.baton.operator;

import static org.assertj.core.api.Assertions.assertThat;
import io.baton.bus.BusHandlers;
import io.baton.config.BatonConfig.AutoAssignConfig;
import io.baton.handoff.ChatMessage;
import io.baton.handoff.Handoff;
import io.baton.handoff.HandoffIds;
import io.baton.handoff.HandoffStatus;
import io.baton.handoff.Priority;
import io.baton.storage.MemoryStorage;
import io.baton.support.Await;
import io.baton.support.MutableClock;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The assigner's memory of queues without room, on a clock moved by hand. */
@Timeout(30)
class AutoAssignerTest {

  private static final String T = BusHandlers.DEFAULT_TENANT;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T09:00:00Z"));
  private final MemoryStorage storage = new MemoryStorage();
  private final AutoAssigner assigner = new AutoAssigner(storage.operator(), new AutoAssignConfig(true, Map.of()), clock);

  private Handoff pending(String conversationId) {
    Instant at = clock.instant();
    Handoff draft = new Handoff(new HandoffIds(clock).next(), conversationId, "user-1", Handoff.KIND_HANDOFF,
        HandoffStatus.PENDING, Priority.MEDIUM, "general_support", "default", null, null, null, null, List.of(),
        List.of(ChatMessage.user("a human please")), new JsonObject(), null, at, at, 1);
    return Await.result(storage.handoffs().createOrGetActive(T, draft)).handoff();
  }

  private void agentOnline() {
    Await.result(storage.operator().putAgent(T, new Agent("ana", "Ana", List.of("general_support"), 2, "online",
        clock.instant())));
  }

  @Test
  void aQueueWithoutRoomIsNotTriedAgainForAMomentThenIs() {
    pending("conv-1");
    assertThat(Await.result(assigner.forQueue(T, "general_support"))).isEmpty();
    // An agent appears without this process hearing of it (say, through another instance).
    agentOnline();
    clock.advance(java.time.Duration.ofMillis(1));
    Handoff second = pending("conv-2");

    assertThat(Await.result(assigner.forQueue(T, "general_support"))).isEmpty();
    clock.advance(AutoAssigner.NO_ROOM_MEMORY);
    assertThat(Await.result(assigner.forQueue(T, "general_support"))).extracting(Handoff::conversationId)
        .containsExactly("conv-1", "conv-2");
    assertThat(second.status()).isEqualTo(HandoffStatus.PENDING);
  }

  @Test
  void anAgentsChangeHereIsTriedAtOnce() {
    pending("conv-1");
    assertThat(Await.result(assigner.forQueue(T, "general_support"))).isEmpty();
    agentOnline();

    assertThat(Await.result(assigner.forAgent(T, "ana"))).extracting(Handoff::conversationId).containsExactly("conv-1");
    pending("conv-2");
    assertThat(Await.result(assigner.forQueue(T, "general_support"))).extracting(Handoff::conversationId)
        .containsExactly("conv-2");
  }
}
