package io.baton.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.config.BatonConfig;
import io.baton.ingest.debounce.MemoryDebouncer;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.MutableClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the webhook path buffers for the bot, also when only some of a webhook's messages were stored. */
class BufferingSinkTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final BatonConfig config = BatonConfig.from(BatonInstance.shippedConfig(), Map.of());
  private final MemoryDebouncer windows = new MemoryDebouncer(config.ingest().debounce(), clock, 100);

  private InboundMessage message(String customer, String id, boolean standby) {
    return new InboundMessage("whatsapp", "1", id, customer, null, "text", "hi " + id, null, null, clock.instant(),
        standby);
  }

  private List<String> buffered() {
    clock.advance(config.ingest().debounce().maxWait().plus(Duration.ofSeconds(1)));
    return Await.result(windows.claimDue(100)).stream().flatMap(batch -> batch.messages().stream())
        .map(json -> json.getString("provider_message_id")).toList();
  }

  /** The awaiting-the-bot marks the sink removed, in order. */
  private final List<Long> cleared = new java.util.concurrent.CopyOnWriteArrayList<>();

  private Future<Void> clear(List<Long> marks) {
    cleared.addAll(marks);
    return Future.succeededFuture();
  }

  /** As the timeline answers: {@code created} new, those not standby marked (here: mark = customer number). */
  private static TimelineSink.Stored stored(List<InboundMessage> created, Throwable failure) {
    return new TimelineSink.Stored(created, created.stream().filter(message -> !message.standby())
        .map(message -> Long.parseLong(message.customerId())).toList(), failure);
  }

  @Test
  void storedMessagesAreBufferedButStandbyOnesAreNot() {
    InboundMessage a = message("1", "wamid.a", false);
    InboundMessage standby = message("2", "wamid.s", true);
    BufferingSink sink = new BufferingSink(
        messages -> Future.succeededFuture(stored(messages, null)), windows, this::clear, false);

    assertThat(Await.result(sink.acceptAll(List.of(a, standby)))).containsExactly(a, standby);
    assertThat(buffered()).containsExactly("wamid.a");
    assertThat(cleared).containsExactly(1L);
  }

  @Test
  void theAnswerDoesNotWaitForTheMarksToBeRemovedNorFailWithIt() {
    InboundMessage a = message("1", "wamid.a", false);
    InboundMessage b = message("2", "wamid.b", false);
    BufferingSink never = new BufferingSink(
        messages -> Future.succeededFuture(stored(messages, null)), windows,
        messages -> io.vertx.core.Promise.<Void>promise().future(), false);
    BufferingSink failing = new BufferingSink(
        messages -> Future.succeededFuture(stored(messages, null)), windows,
        messages -> Future.failedFuture(new IllegalStateException("operator unreachable")), false);

    assertThat(Await.result(never.acceptAll(List.of(a)))).containsExactly(a);
    assertThat(Await.result(failing.acceptAll(List.of(b)))).containsExactly(b);
    assertThat(buffered()).containsExactlyInAnyOrder("wamid.a", "wamid.b");
  }

  @Test
  void whenSomeCouldNotBeStoredTheStoredOnesAreStillBufferedAndTheWebhookFails() {
    InboundMessage a = message("1", "wamid.a", false);
    InboundMessage b = message("2", "wamid.b", false);
    InboundMessage c = message("3", "wamid.c", false);
    IllegalStateException down = new IllegalStateException("conversation 2 could not be stored");
    // The timeline kept a and c; b's conversation failed.
    BufferingSink sink = new BufferingSink(
        messages -> Future.succeededFuture(stored(List.of(a, c), down)), windows, this::clear, false);

    Throwable failed = Await.failure(sink.acceptAll(List.of(a, b, c)));

    assertThat(failed).isSameAs(down);
    assertThat(buffered()).containsExactlyInAnyOrder("wamid.a", "wamid.c");
    assertThat(cleared).containsExactly(1L, 3L);
  }

  @Test
  void aBufferRefusingFailsTheWebhookUnlessTheAnswerIsNotToWaitForTheBufferThenTheMarksStay() {
    InboundMessage a = message("1", "wamid.a", false);
    InboundMessage b = message("2", "wamid.b", false);
    MemoryDebouncer full = new MemoryDebouncer(config.ingest().debounce(), clock, 0);
    java.util.function.Function<List<InboundMessage>, Future<TimelineSink.Stored>> stored =
        messages -> Future.succeededFuture(stored(messages, null));

    assertThat(Await.failure(new BufferingSink(stored, full, this::clear, false).acceptAll(List.of(a))))
        .hasMessageContaining("Too many messages");
    assertThat(Await.result(new BufferingSink(stored, full, this::clear, true).acceptAll(List.of(b))))
        .as("stored and marked: acknowledged").containsExactly(b);
    assertThat(cleared).as("the marks stay for the sweeper").isEmpty();
  }
}
