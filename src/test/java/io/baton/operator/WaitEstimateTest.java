package io.baton.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.config.BatonConfig.AutoAssignConfig;
import io.baton.handoff.ChatMessage;
import io.baton.handoff.Handoff;
import io.baton.handoff.HandoffIds;
import io.baton.handoff.HandoffStatus;
import io.baton.handoff.Priority;
import io.baton.storage.MemoryStorage;
import io.baton.support.Await;
import io.baton.support.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** queue_position and estimated_wait_seconds of a pending handoff, on a clock moved by hand. */
@Timeout(30)
class WaitEstimateTest {

  /** The tenant the cases act in (tenant cases add others). */
  static final String T = "default";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T09:00:00Z"));
  private final MemoryStorage storage = new MemoryStorage();
  private Vertx vertx;
  private OperatorService service;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    AutoAssigner assigner = new AutoAssigner(storage.operator(), new AutoAssignConfig(false, Map.of()), clock);
    service = new OperatorService(storage.operator(), vertx.eventBus(), Duration.ofSeconds(5), clock, assigner, 2);
  }

  @AfterEach
  void tearDown() {
    Await.result(vertx.close());
  }

  private Handoff pending(String conversationId) {
    Instant at = clock.instant();
    Handoff draft = new Handoff(new HandoffIds(clock).next(), conversationId, "user-1", Handoff.KIND_HANDOFF,
        HandoffStatus.PENDING, Priority.MEDIUM, "general_support", "default", null, null, null, null, List.of(),
        List.of(ChatMessage.user("a human please")), new JsonObject(), null, at, at, 1);
    return Await.result(storage.handoffs().createOrGetActive(T, draft)).handoff();
  }

  private void assignAfter(Duration wait) {
    Handoff handoff = pending("conv-" + wait);
    clock.advance(wait);
    Await.result(storage.operator().assign(T, handoff.id(), "agent-1", clock.instant()));
  }

  @Test
  void theEstimateIsTheMedianTimeToAssignLessTheTimeWaited() {
    Handoff first = pending("conv-first");
    // Handoffs of one instant are ordered by their random ids: keep these two apart in time.
    clock.advance(Duration.ofSeconds(1));
    Handoff second = pending("conv-second");
    JsonObject noHistory = Await.result(service.standing(T, second.id()));
    assertThat(noHistory.getLong("queue_position")).isEqualTo(2);
    assertThat(noHistory.containsKey("estimated_wait_seconds")).isTrue();
    assertThat(noHistory.getValue("estimated_wait_seconds")).isNull();

    // The latest two assignments (the history is 2) took 60 s and 100 s: the median is 80 s.
    assignAfter(Duration.ofSeconds(500));
    assignAfter(Duration.ofSeconds(60));
    assignAfter(Duration.ofSeconds(100));
    Handoff fresh = pending("conv-fresh");
    clock.advance(Duration.ofSeconds(30));

    JsonObject standing = Await.result(service.standing(T, fresh.id()));
    assertThat(standing.getLong("queue_position")).isEqualTo(3);
    assertThat(standing.getLong("estimated_wait_seconds")).isEqualTo(50);
    assertThat(Await.result(service.standing(T, first.id())).getLong("estimated_wait_seconds")).isZero();
    Await.result(storage.operator().assign(T, first.id(), "agent-2", clock.instant()));
    assertThat(Await.result(service.standing(T, first.id()))).isEmpty();
    assertThat(Await.result(service.standing(T, fresh.id())).getLong("queue_position")).isEqualTo(2);
  }
}
