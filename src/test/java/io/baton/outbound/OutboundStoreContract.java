package io.baton.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.events.Event;
import io.baton.events.EventTypes;
import io.baton.handoff.Speaker;
import io.baton.operator.ConversationMessage;
import io.baton.operator.OperatorStore;
import io.baton.support.Await;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every {@link OutboundStore} does; run against PostgreSQL and memory. */
@Timeout(60)
public abstract class OutboundStoreContract {

  /** The tenant the cases act in (tenant cases add others). */
  static final String T = "default";

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  protected abstract OutboundStore outbound();

  protected abstract OperatorStore operator();

  protected abstract List<Event> events();

  /** The storage's periodic housekeeping, run at {@code now}. */
  protected abstract Future<Void> purgeExpired(Instant now);

  /** An agent's message, stored queued in a fresh WhatsApp conversation, with its send due at {@code due}. */
  private OutboundDelivery queued(Instant due) {
    String conversation = "whatsapp:" + (100000000L + Math.abs(UUID.randomUUID().getMostSignificantBits() % 899999999L));
    String messageId = "m-" + UUID.randomUUID();
    OutboundDelivery delivery = new OutboundDelivery(conversation, messageId, "whatsapp", "106540352242922",
        conversation.substring("whatsapp:".length()), new JsonObject().put("text", "hello"),
        OutboundDelivery.RETRYING, 0, due.truncatedTo(ChronoUnit.MICROS), null);
    assertThat(Await.result(outbound().enqueue(delivery, T0))).isTrue();
    Await.result(operator().addMessage(T, new ConversationMessage(messageId, conversation, Speaker.AGENT, "hello",
        "agent-1", null, ConversationMessage.QUEUED, T0), conversation));
    return delivery;
  }

  private ConversationMessage message(OutboundDelivery d) {
    return Await.result(operator().message(T, d.conversationId(), d.messageId())).orElseThrow();
  }

  @Test
  void aSendIsWrittenOncePerMessage() {
    OutboundDelivery d = queued(T0.plusSeconds(10));
    assertThat(Await.result(outbound().enqueue(d, T0))).isFalse();
    assertThat(Await.result(outbound().get(T, d.conversationId(), d.messageId()))).hasValueSatisfying(found -> {
      assertThat(found.status()).isEqualTo(OutboundDelivery.RETRYING);
      assertThat(found.payload().getString("text")).isEqualTo("hello");
      assertThat(found.account()).isEqualTo("106540352242922");
    });
  }

  @Test
  void theFirstClaimOfASendIsWonOnce() {
    Instant hold = T0.plusSeconds(10);
    OutboundDelivery d = queued(hold);
    List<Future<Optional<OutboundDelivery>>> claims = IntStream.range(0, 10)
        .mapToObj(i -> outbound().claim(T, d.conversationId(), d.messageId(), hold, T0.plusSeconds(60))).toList();
    Await.result(Future.join(claims));
    assertThat(claims.stream().filter(f -> f.result().isPresent()).count()).isEqualTo(1);
    // Claimed: the poll does not see it before the lease ends.
    assertThat(Await.result(outbound().claimDue(T0.plusSeconds(30), T0.plusSeconds(90), 100)))
        .noneMatch(x -> x.messageId().equals(d.messageId()));
  }

  @Test
  void aSendClaimedByThePollCannotBeClaimedByItsFirstAttempt() {
    Instant hold = T0.plusSeconds(10);
    OutboundDelivery d = queued(hold);
    assertThat(Await.result(outbound().claimDue(hold, hold.plusSeconds(60), 100)))
        .anyMatch(x -> x.messageId().equals(d.messageId()));
    assertThat(Await.result(outbound().claim(T, d.conversationId(), d.messageId(), hold, hold.plusSeconds(60))))
        .isEmpty();
  }

  @Test
  void racingPollsNeverShareASend() {
    Instant due = Instant.now().minusSeconds(3600).truncatedTo(ChronoUnit.MICROS);
    List<String> ids = IntStream.range(0, 20).mapToObj(i -> queued(due).messageId()).toList();
    List<Future<List<OutboundDelivery>>> claims = IntStream.range(0, 6)
        .mapToObj(i -> outbound().claimDue(due, due.plusSeconds(600), 5)).toList();
    Await.result(Future.all(claims));
    List<String> claimed = claims.stream().flatMap(f -> f.result().stream()).map(OutboundDelivery::messageId)
        .filter(ids::contains).toList();
    assertThat(claimed).doesNotHaveDuplicates();
  }

  @Test
  void aFailedAttemptIsDueAgainLater() {
    OutboundDelivery d = queued(T0);
    Await.result(outbound().claimDue(T0, T0.plusSeconds(60), 100));
    Await.result(outbound().retryLater(T, d.conversationId(), d.messageId(), 1, T0.plusSeconds(20), "whatsapp answered 503",
        T0));
    assertThat(Await.result(outbound().claimDue(T0.plusSeconds(19), T0.plusSeconds(80), 100)))
        .noneMatch(x -> x.messageId().equals(d.messageId()));
    assertThat(Await.result(outbound().claimDue(T0.plusSeconds(20), T0.plusSeconds(80), 100)))
        .filteredOn(x -> x.messageId().equals(d.messageId())).singleElement()
        .satisfies(x -> {
          assertThat(x.attempts()).isEqualTo(1);
          assertThat(x.lastError()).isEqualTo("whatsapp answered 503");
        });
  }

  @Test
  void aSentMessageRecordsTheProviderIdAndMovesToSent() {
    OutboundDelivery d = queued(T0);
    Optional<ConversationMessage> sent = Await.result(outbound().sent(T, d.conversationId(), d.messageId(),
        "wamid.OUT1", T0.plusSeconds(1)));
    assertThat(sent).hasValueSatisfying(m -> {
      assertThat(m.deliveryStatus()).isEqualTo("sent");
      assertThat(m.providerMessageId()).isEqualTo("wamid.OUT1");
    });
    assertThat(Await.result(outbound().get(T, d.conversationId(), d.messageId()))).isEmpty();
    assertThat(message(d).toJson().getString("provider_message_id")).isEqualTo("wamid.OUT1");
    assertThat(events()).filteredOn(e -> e.type().equals(EventTypes.MESSAGE_STATUS_UPDATED)
            && d.messageId().equals(e.data().getString("message_id")))
        .singleElement().satisfies(e -> {
          assertThat(e.data().getString("from_status")).isEqualTo("queued");
          assertThat(e.data().getString("delivery_status")).isEqualTo("sent");
          assertThat(e.data().getString("provider_message_id")).isEqualTo("wamid.OUT1");
        });
    // Status webhooks name it by the provider's id, and it only moves forward.
    assertThat(Await.result(operator().updateDeliveryStatus(T, List.of(d.conversationId()), "wamid.OUT1", "read",
        T0.plusSeconds(3)))).isPresent();
    assertThat(Await.result(operator().updateDeliveryStatus(T, List.of(d.conversationId()), "wamid.OUT1", "delivered",
        T0.plusSeconds(4)))).isEmpty();
    assertThat(message(d).deliveryStatus()).isEqualTo("read");
  }

  // ---- a status webhook that comes before the provider's answer to the send is recorded ----

  /** The conversations a status webhook names: {@code <channel>:<recipient>}, then the bare recipient. */
  private static List<String> named(OutboundDelivery d) {
    return List.of(d.conversationId(), d.recipient());
  }

  private List<String> statusMoves(OutboundDelivery d) {
    return events().stream().filter(e -> e.type().equals(EventTypes.MESSAGE_STATUS_UPDATED)
            && d.messageId().equals(e.data().getString("message_id")))
        .map(e -> e.data().getString("from_status") + ">" + e.data().getString("delivery_status")).toList();
  }

  @Test
  void aStatusThatComesBeforeTheSendIsRecordedIsAppliedWhenItIs() {
    OutboundDelivery d = queued(T0);
    String wamid = "wamid.EARLY" + UUID.randomUUID();
    assertThat(Await.result(operator().updateDeliveryStatus(T, named(d), wamid, "delivered", T0.plusSeconds(1))))
        .isEmpty();
    assertThat(message(d).deliveryStatus()).isEqualTo(ConversationMessage.QUEUED);

    Optional<ConversationMessage> sent = Await.result(outbound().sent(T, d.conversationId(), d.messageId(), wamid,
        T0.plusSeconds(2)));
    assertThat(sent).hasValueSatisfying(m -> {
      assertThat(m.deliveryStatus()).isEqualTo("delivered");
      assertThat(m.providerMessageId()).isEqualTo(wamid);
    });
    assertThat(message(d).deliveryStatus()).isEqualTo("delivered");
    assertThat(message(d).providerMessageId()).isEqualTo(wamid);
    // The events it would have got, had the status come after the answer.
    assertThat(statusMoves(d)).containsExactly("queued>sent", "sent>delivered");
    assertThat(Await.result(outbound().get(T, d.conversationId(), d.messageId()))).isEmpty();
    // Later statuses find the message as usual.
    assertThat(Await.result(operator().updateDeliveryStatus(T, named(d), wamid, "read", T0.plusSeconds(3))))
        .isPresent();
    assertThat(statusMoves(d)).containsExactly("queued>sent", "sent>delivered", "delivered>read");
  }

  @Test
  void aKeptStatusNeverMovesBackwards() {
    OutboundDelivery d = queued(T0);
    String wamid = "wamid.EARLY" + UUID.randomUUID();
    Await.result(operator().updateDeliveryStatus(T, named(d), wamid, "read", T0.plusSeconds(1)));
    Await.result(operator().updateDeliveryStatus(T, named(d), wamid, "delivered", T0.plusSeconds(2)));
    Await.result(outbound().sent(T, d.conversationId(), d.messageId(), wamid, T0.plusSeconds(3)));
    assertThat(message(d).deliveryStatus()).isEqualTo("read");
    assertThat(statusMoves(d)).containsExactly("queued>sent", "sent>read");
  }

  @Test
  void aKeptStatusIsOnlyForTheConversationsItsWebhookNamed() {
    OutboundDelivery d = queued(T0);
    OutboundDelivery other = queued(T0);
    String wamid = "wamid.EARLY" + UUID.randomUUID();
    Await.result(operator().updateDeliveryStatus(T, named(other), wamid, "delivered", T0.plusSeconds(1)));
    Await.result(outbound().sent(T, d.conversationId(), d.messageId(), wamid, T0.plusSeconds(2)));
    assertThat(message(d).deliveryStatus()).isEqualTo("sent");
  }

  @Test
  void aKeptStatusWhoseMessageNeverComesIsPurgedAfterItsBound() {
    OutboundDelivery stale = queued(T0);
    OutboundDelivery recent = queued(T0);
    String staleId = "wamid.STALE" + UUID.randomUUID();
    String recentId = "wamid.RECENT" + UUID.randomUUID();
    Await.result(operator().updateDeliveryStatus(T, named(stale), staleId, "delivered", T0));
    Instant dayLater = T0.plus(Duration.ofDays(1));
    Await.result(operator().updateDeliveryStatus(T, named(recent), recentId, "delivered", dayLater));

    // Past the bound for the first, not for the second.
    Await.result(purgeExpired(T0.plus(OperatorStore.EARLY_STATUS_KEPT_FOR).plusSeconds(1)));
    Await.result(outbound().sent(T, stale.conversationId(), stale.messageId(), staleId, dayLater.plusSeconds(1)));
    Await.result(outbound().sent(T, recent.conversationId(), recent.messageId(), recentId, dayLater.plusSeconds(1)));
    assertThat(message(stale).deliveryStatus()).isEqualTo("sent");
    assertThat(message(recent).deliveryStatus()).isEqualTo("delivered");
  }

  @Test
  void aStatusRacingTheRecordOfTheSendAlwaysEndsAtTheHigherStatus() {
    int rounds = 60;
    List<OutboundDelivery> sends = IntStream.range(0, rounds).mapToObj(i -> queued(T0)).toList();
    List<Future<?>> racing = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      OutboundDelivery d = sends.get(i);
      String wamid = "wamid.RACE" + d.messageId();
      String status = i % 3 == 0 ? "read" : "delivered";
      Future<?> webhook;
      Future<?> record;
      if (i % 2 == 0) {
        webhook = operator().updateDeliveryStatus(T, named(d), wamid, status, T0.plusSeconds(1));
        record = outbound().sent(T, d.conversationId(), d.messageId(), wamid, T0.plusSeconds(1));
      } else {
        record = outbound().sent(T, d.conversationId(), d.messageId(), wamid, T0.plusSeconds(1));
        webhook = operator().updateDeliveryStatus(T, named(d), wamid, status, T0.plusSeconds(1));
      }
      racing.add(webhook);
      racing.add(record);
    }
    Await.result(Future.all(racing));
    for (int i = 0; i < rounds; i++) {
      OutboundDelivery d = sends.get(i);
      assertThat(message(d).deliveryStatus()).as("message %d", i).isEqualTo(i % 3 == 0 ? "read" : "delivered");
      assertThat(message(d).providerMessageId()).isEqualTo("wamid.RACE" + d.messageId());
    }
  }

  @Test
  void aReadWatermarkReadsWhatWasSentUpToIt() {
    OutboundDelivery first = queued(T0);
    Await.result(outbound().sent(T, first.conversationId(), first.messageId(), "m_1", T0.plusSeconds(1)));
    String conversation = first.conversationId();
    String later = "m-" + UUID.randomUUID();
    Await.result(operator().addMessage(T, new ConversationMessage(later, conversation, Speaker.AGENT, "later",
        "agent-1", null, ConversationMessage.QUEUED, T0.plusSeconds(60)), conversation));
    Await.result(operator().recordSent(T, conversation, later, "m_2", T0.plusSeconds(61)));
    String unsent = "m-" + UUID.randomUUID();
    Await.result(operator().addMessage(T, new ConversationMessage(unsent, conversation, Speaker.AGENT, "queued",
        "agent-1", null, ConversationMessage.QUEUED, T0.plusSeconds(2)), conversation));

    assertThat(Await.result(operator().readUpTo(T, List.of("nobody", conversation), T0.plusSeconds(30),
        T0.plusSeconds(90)))).isEqualTo(1);
    assertThat(message(first).deliveryStatus()).isEqualTo("read");
    assertThat(Await.result(operator().message(T, conversation, later)).orElseThrow().deliveryStatus()).isEqualTo("sent");
    assertThat(Await.result(operator().message(T, conversation, unsent)).orElseThrow().deliveryStatus())
        .isEqualTo(ConversationMessage.QUEUED);
    // Again: nothing more moves, and no second event.
    assertThat(Await.result(operator().readUpTo(T, List.of(conversation), T0.plusSeconds(30), T0.plusSeconds(91))))
        .isZero();
    assertThat(events()).filteredOn(e -> e.type().equals(EventTypes.MESSAGE_STATUS_UPDATED)
        && first.messageId().equals(e.data().getString("message_id"))
        && "read".equals(e.data().getString("delivery_status"))).hasSize(1);
  }

  @Test
  void givingUpFailsTheMessageWithItsEvents() {
    OutboundDelivery d = queued(T0);
    Await.result(outbound().giveUp(T, d.conversationId(), d.messageId(), 8, "whatsapp answered 400: invalid recipient",
        T0.plusSeconds(5)));
    assertThat(message(d).deliveryStatus()).isEqualTo("failed");
    assertThat(Await.result(outbound().get(T, d.conversationId(), d.messageId()))).hasValueSatisfying(x -> {
      assertThat(x.status()).isEqualTo(OutboundDelivery.FAILED);
      assertThat(x.attempts()).isEqualTo(8);
    });
    assertThat(Await.result(outbound().claimDue(T0.plusSeconds(3600), T0.plusSeconds(4000), 100)))
        .noneMatch(x -> x.messageId().equals(d.messageId()));
    assertThat(events()).filteredOn(e -> e.type().equals(EventTypes.MESSAGE_DELIVERY_FAILED)
            && d.messageId().equals(e.data().getString("message_id")))
        .singleElement().satisfies(e -> {
          assertThat(e.conversationId()).isEqualTo(d.conversationId());
          assertThat(e.data().getString("error")).contains("invalid recipient");
        });
    assertThat(events()).anyMatch(e -> e.type().equals(EventTypes.MESSAGE_STATUS_UPDATED)
        && d.messageId().equals(e.data().getString("message_id"))
        && "failed".equals(e.data().getString("delivery_status")));
  }

  @Test
  void aDroppedSendIsGone() {
    OutboundDelivery d = queued(T0);
    Await.result(outbound().drop(T, d.conversationId(), d.messageId()));
    assertThat(Await.result(outbound().get(T, d.conversationId(), d.messageId()))).isEmpty();
    assertThat(message(d).deliveryStatus()).isEqualTo(ConversationMessage.QUEUED);
  }

  @Test
  void breakerChangesAreWrittenToTheLog() {
    String channel = "messenger";
    Await.result(outbound().recordBreakerState(channel, "open", T0));
    assertThat(events()).anyMatch(e -> e.type().equals(EventTypes.CHANNEL_BREAKER_CHANGED)
        && channel.equals(e.data().getString("channel")) && "open".equals(e.data().getString("state")));
  }

  @Test
  void oneMessageKeyOfTwoTenantsIsTwoSendsEachSentInItsTenant() {
    OutboundDelivery ours = queued(T0.plusSeconds(10));
    String other = "acme-" + UUID.randomUUID().toString().substring(0, 8);
    OutboundDelivery theirs = new OutboundDelivery(ours.conversationId(), ours.messageId(), "whatsapp", "777",
        ours.recipient(), new JsonObject().put("text", "theirs"), OutboundDelivery.RETRYING, 0, ours.nextAttemptAt(),
        null, other);
    assertThat(Await.result(outbound().enqueue(theirs, T0))).isTrue();
    Await.result(operator().addMessage(other, new ConversationMessage(ours.messageId(), ours.conversationId(),
        Speaker.AGENT, "theirs", "agent-9", null, ConversationMessage.QUEUED, T0), ours.conversationId()));

    assertThat(Await.result(outbound().get(other, ours.conversationId(), ours.messageId())))
        .hasValueSatisfying(found -> assertThat(found.payload().getString("text")).isEqualTo("theirs"));
    List<OutboundDelivery> due = Await.result(outbound().claimDue(T0.plusSeconds(10), T0.plusSeconds(60), 1000))
        .stream().filter(d -> d.messageId().equals(ours.messageId())).toList();
    assertThat(due).extracting(OutboundDelivery::tenant).containsExactlyInAnyOrder(T, other);

    Await.result(outbound().sent(other, ours.conversationId(), ours.messageId(), "wamid.THEIRS", T0.plusSeconds(11)));
    assertThat(Await.result(operator().message(other, ours.conversationId(), ours.messageId())).orElseThrow()
        .deliveryStatus()).isEqualTo("sent");
    assertThat(message(ours).deliveryStatus()).isEqualTo(ConversationMessage.QUEUED);
    assertThat(Await.result(outbound().get(T, ours.conversationId(), ours.messageId()))).isPresent();
    assertThat(Await.result(outbound().get(other, ours.conversationId(), ours.messageId()))).isEmpty();
  }
}
