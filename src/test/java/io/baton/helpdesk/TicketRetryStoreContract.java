package io.baton.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.events.Event;
import io.baton.events.EventTypes;
import io.baton.handoff.ChatMessage;
import io.baton.handoff.Handoff;
import io.baton.handoff.HandoffIds;
import io.baton.handoff.HandoffStatus;
import io.baton.handoff.HandoffStore;
import io.baton.handoff.Priority;
import io.baton.support.Await;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every {@link TicketRetryStore} does; run against PostgreSQL and memory. */
@Timeout(60)
public abstract class TicketRetryStoreContract {

  /** The tenant the cases act in (tenant cases add others). */
  static final String T = "default";

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  protected abstract TicketRetryStore retries();

  protected abstract HandoffStore handoffs();

  protected abstract List<Event> events();

  private Handoff handoff(Instant createdAt) {
    Instant at = createdAt.truncatedTo(ChronoUnit.MICROS);
    Handoff draft = new Handoff(new HandoffIds(Clock.systemUTC()).next(), "conv-" + UUID.randomUUID(), "u",
        Handoff.KIND_HANDOFF, HandoffStatus.PENDING, Priority.HIGH, "q-" + UUID.randomUUID(), "default", null, null,
        null, null, List.of(), List.of(ChatMessage.user("hi")), new JsonObject(), null, at, at, 1);
    return Await.result(handoffs().createOrGetActive(T, draft)).handoff();
  }

  @Test
  void aRetryIsDueAtItsTimeAndLeasedWhenClaimed() {
    String id = handoff(T0).id();
    Await.result(retries().retryLater(id, 1, T0.plusSeconds(10), "Zendesk answered 503", T0));

    assertThat(Await.result(retries().claimDue(T0.plusSeconds(9), T0.plusSeconds(60), 100)))
        .noneMatch(r -> r.handoffId().equals(id));
    List<TicketRetry> claimed = Await.result(retries().claimDue(T0.plusSeconds(10), T0.plusSeconds(60), 100));
    assertThat(claimed).filteredOn(r -> r.handoffId().equals(id)).singleElement()
        .satisfies(r -> assertThat(r.attempts()).isEqualTo(1));
    // Leased: not due again before the lease ends, whoever asks.
    assertThat(Await.result(retries().claimDue(T0.plusSeconds(30), T0.plusSeconds(90), 100)))
        .noneMatch(r -> r.handoffId().equals(id));
    assertThat(Await.result(retries().get(id))).hasValueSatisfying(r -> {
      assertThat(r.status()).isEqualTo(TicketRetry.RETRYING);
      assertThat(r.lastError()).isEqualTo("Zendesk answered 503");
    });
  }

  @Test
  void racingClaimsNeverShareARetry() {
    Instant due = Instant.now().minusSeconds(3600).truncatedTo(ChronoUnit.MICROS);
    List<String> ids = IntStream.range(0, 20).mapToObj(i -> handoff(due).id()).toList();
    ids.forEach(id -> Await.result(retries().retryLater(id, 1, due, "down", due)));

    List<Future<List<TicketRetry>>> claims = IntStream.range(0, 6)
        .mapToObj(i -> retries().claimDue(due, due.plusSeconds(600), 5)).toList();
    Await.result(Future.all(claims));

    List<String> claimed = claims.stream().flatMap(f -> f.result().stream()).map(TicketRetry::handoffId)
        .filter(ids::contains).toList();
    assertThat(claimed).doesNotHaveDuplicates();
  }

  @Test
  void theRightToCallIsTakenOnceAndLeased() {
    String id = handoff(T0).id();

    boolean first = Await.result(retries().claimNew(id, T0.plusSeconds(15), T0));
    boolean second = Await.result(retries().claimNew(id, T0.plusSeconds(15), T0));

    assertThat(first).isTrue();
    assertThat(second).isFalse();
    assertThat(Await.result(retries().claimDue(T0.plusSeconds(14), T0.plusSeconds(60), 100)))
        .noneMatch(r -> r.handoffId().equals(id));
    // Its holder stopped: once the lease is over, a worker takes the retry.
    assertThat(Await.result(retries().claimDue(T0.plusSeconds(15), T0.plusSeconds(60), 100)))
        .anyMatch(r -> r.handoffId().equals(id) && r.attempts() == 0);
  }

  @Test
  void aMadeTicketEndsTheRetry() {
    String id = handoff(T0).id();
    Await.result(retries().retryLater(id, 2, T0, "down", T0));

    Await.result(retries().done(id));

    assertThat(Await.result(retries().get(id))).isEmpty();
  }

  @Test
  void givingUpIsVisibleAndWritesTicketFailed() {
    Handoff handoff = handoff(T0);
    Await.result(retries().retryLater(handoff.id(), 9, T0, "down", T0));

    Await.result(retries().giveUp(handoff.id(), 10, "Zendesk answered 503", T0.plusSeconds(1)));

    assertThat(Await.result(retries().get(handoff.id()))).hasValueSatisfying(r -> {
      assertThat(r.status()).isEqualTo(TicketRetry.FAILED);
      assertThat(r.attempts()).isEqualTo(10);
    });
    assertThat(Await.result(retries().claimDue(T0.plusSeconds(3600), T0.plusSeconds(7200), 100)))
        .noneMatch(r -> r.handoffId().equals(handoff.id()));
    List<Event> failed = events().stream().filter(e -> handoff.id().equals(e.handoffId())
        && e.type().equals(EventTypes.TICKET_FAILED)).toList();
    assertThat(failed).singleElement().satisfies(e -> {
      assertThat(e.conversationId()).isEqualTo(handoff.conversationId());
      assertThat(e.data().getInteger("attempts")).isEqualTo(10);
    });
  }

  @Test
  void aBreakerChangeIsAnEvent() {
    Await.result(retries().recordBreakerState("zendesk", "open", T0));

    assertThat(events().getLast().type()).isEqualTo(EventTypes.HELPDESK_BREAKER_CHANGED);
    assertThat(events().getLast().data()).isEqualTo(new JsonObject().put("helpdesk", "zendesk").put("state", "open"));
  }

  @Test
  void aHandoffLeftWithoutTicketOrRetryIsAdopted() {
    Handoff orphan = handoff(T0);
    Handoff young = handoff(T0.plusSeconds(120));
    Handoff withTicket = handoff(T0);
    Await.result(handoffs().setTicket(T, withTicket.id(), "tkt_x", "u", T0));

    Await.result(retries().adoptOrphans(T0.plusSeconds(60), T0.plusSeconds(60), 1_000));

    assertThat(Await.result(retries().get(orphan.id()))).hasValueSatisfying(r -> {
      assertThat(r.status()).isEqualTo(TicketRetry.RETRYING);
      assertThat(r.attempts()).isZero();
    });
    assertThat(Await.result(retries().get(young.id()))).isEmpty();
    assertThat(Await.result(retries().get(withTicket.id()))).isEmpty();
  }
}
