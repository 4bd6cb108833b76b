package io.baton.ingest.debounce;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.config.BatonConfig.DebounceConfig;
import io.baton.ingest.InboundMessage;
import io.baton.ingest.debounce.Debouncer.Batch;
import io.baton.support.Await;
import io.baton.support.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every {@link Debouncer} promises, on a clock moved by hand. */
@Timeout(60)
public abstract class DebouncerContract {

  protected static final DebounceConfig CONFIG = new DebounceConfig(Duration.ofSeconds(2), Duration.ofSeconds(10), 5,
      Duration.ofSeconds(30), Duration.ofMillis(200));

  protected Vertx vertx;
  protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private Debouncer debouncer;
  private String conversation;

  /** Two debouncers on one store stand for two instances; memory has one store per debouncer. */
  protected abstract Debouncer debouncer();

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    debouncer = debouncer();
    conversation = UUID.randomUUID().toString();
  }

  @AfterEach
  void close() {
    closeStores();
    Await.result(vertx.close());
  }

  protected void closeStores() {
  }

  private InboundMessage message(String text) {
    return new InboundMessage("whatsapp", "1", "wamid." + UUID.randomUUID(), conversation, null, "text", text, null,
        null, clock.instant(), false);
  }

  private List<Batch> due() {
    List<Batch> all = Await.result(debouncer.claimDue(100));
    return all.stream().filter(b -> b.conversationKey().equals("whatsapp:" + conversation)).toList();
  }

  @Test
  void aWindowClosesTwoSecondsAfterTheLatestMessage() {
    Await.result(debouncer.add(message("one")));
    clock.advance(Duration.ofMillis(1500));
    Await.result(debouncer.add(message("two")));
    clock.advance(Duration.ofMillis(1500));
    assertThat(due()).isEmpty();

    clock.advance(Duration.ofMillis(500));
    List<Batch> batches = due();

    assertThat(batches).hasSize(1);
    assertThat(batches.getFirst().messages()).extracting(m -> m.getString("text")).containsExactly("one", "two");
    assertThat(batches.getFirst().attempt()).isEqualTo(1);
    assertThat(new JsonArray(batches.getFirst().messagesJson())).as("the messages as one JSON array, for the bot")
        .isEqualTo(new JsonArray(batches.getFirst().messages()));
    assertThat(due()).as("claimed once").isEmpty();
  }

  @Test
  void aBurstIsAddedInOrderAndAFullBurstClosesTheWindowAtOnce() {
    Await.result(debouncer.addAll(List.of(message("a"), message("b"))));
    clock.advance(Duration.ofSeconds(1));
    Await.result(debouncer.addAll(List.of(message("c"), message("d"), message("e"))));

    assertThat(due()).singleElement().satisfies(b -> assertThat(b.messages()).extracting(m -> m.getString("text"))
        .containsExactly("a", "b", "c", "d", "e"));
  }

  @Test
  void theMaxWaitCapsAWindowThatKeepsBeingExtended() {
    Await.result(debouncer.add(message("0")));
    for (int i = 1; i <= 3; i++) {
      clock.advance(Duration.ofMillis(1900));
      Await.result(debouncer.add(message(String.valueOf(i))));
    }
    // 5.7 s after the first message; the cap is 10 s.
    clock.advance(Duration.ofMillis(1900));
    assertThat(due()).isEmpty();
    Await.result(debouncer.add(message("4 fills the batch")));

    assertThat(due()).singleElement().satisfies(b -> assertThat(b.messages()).hasSize(5));
  }

  @Test
  void aWindowNeverStaysOpenPastTheMaxWait() {
    Await.result(debouncer.add(message("0")));
    clock.advance(Duration.ofMillis(1900));
    Await.result(debouncer.add(message("1")));
    clock.advance(Duration.ofMillis(1900));
    Await.result(debouncer.add(message("2")));
    clock.advance(Duration.ofMillis(1900));
    Await.result(debouncer.add(message("3")));
    clock.advance(Duration.ofMillis(4300));
    // 10 s after the first message: closed by the cap, since the latest message's window (2 s) ended earlier.
    assertThat(due()).singleElement().satisfies(b -> assertThat(b.messages()).hasSize(4));
  }

  @Test
  void aClaimedBatchIsClaimedAgainWithItsIdOnlyAfterItsLease() {
    Await.result(debouncer.add(message("hi")));
    clock.advance(Duration.ofSeconds(2));
    Batch first = due().getFirst();

    clock.advance(Duration.ofSeconds(29));
    assertThat(due()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    Batch again = due().getFirst();

    assertThat(again.batchId()).isEqualTo(first.batchId());
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(again.messages()).isEqualTo(first.messages());
    Await.result(debouncer.complete(again));
    clock.advance(Duration.ofMinutes(5));
    assertThat(due()).isEmpty();
  }

  @Test
  void completingManyBatchesAtOnceLetsEachConversationsNextWindowFlush() {
    List<String> customers = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
        UUID.randomUUID().toString());
    java.util.function.BiFunction<String, String, InboundMessage> from = (customer, text) -> new InboundMessage(
        "whatsapp", "1", "wamid." + UUID.randomUUID(), customer, null, "text", text, null, null, clock.instant(), false);
    java.util.function.Supplier<List<Batch>> ours = () -> Await.result(debouncer.claimDue(100)).stream()
        .filter(b -> customers.stream().anyMatch(c -> b.conversationKey().equals("whatsapp:" + c))).toList();
    customers.forEach(customer -> Await.result(debouncer.add(from.apply(customer, "first"))));
    clock.advance(Duration.ofSeconds(2));
    List<Batch> claimed = ours.get();
    assertThat(claimed).hasSize(3);
    // The first customer writes again while the batches are being sent.
    Await.result(debouncer.add(from.apply(customers.getFirst(), "second")));

    Await.result(debouncer.completeAll(claimed));
    clock.advance(Duration.ofSeconds(2));

    List<Batch> next = ours.get();
    assertThat(next).singleElement().satisfies(batch -> {
      assertThat(batch.conversationKey()).isEqualTo("whatsapp:" + customers.getFirst());
      assertThat(batch.messages()).extracting(m -> m.getString("text")).containsExactly("second");
    });
    Await.result(debouncer.completeAll(next));
    clock.advance(Duration.ofMinutes(1));
    assertThat(ours.get()).as("the others are done with, not claimed again after their lease").isEmpty();
  }

  @Test
  void retryAtReschedulesAndMessagesMeanwhileWaitForTheNextBatch() {
    Await.result(debouncer.add(message("first")));
    clock.advance(Duration.ofSeconds(2));
    Batch batch = due().getFirst();
    Await.result(debouncer.retryAt(batch, clock.instant().plusSeconds(5)));
    Await.result(debouncer.add(message("second")));
    clock.advance(Duration.ofSeconds(3));
    // The next window is due but waits behind the claimed batch, to keep the order.
    assertThat(due()).isEmpty();

    clock.advance(Duration.ofSeconds(2));
    Batch retried = due().getFirst();
    assertThat(retried.batchId()).isEqualTo(batch.batchId());
    Await.result(debouncer.complete(retried));
    Batch next = due().getFirst();
    assertThat(next.batchId()).isNotEqualTo(batch.batchId());
    assertThat(next.messages()).extracting(m -> m.getString("text")).containsExactly("second");
  }

  @Test
  void racingClaimersGetEachBatchOnce() {
    Debouncer other = secondInstance();
    List<String> conversations = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      conversation = UUID.randomUUID().toString();
      conversations.add("whatsapp:" + conversation);
      Await.result(debouncer.add(message("m" + i)));
    }
    clock.advance(Duration.ofSeconds(2));
    List<Future<List<Batch>>> claims = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      claims.add(debouncer.claimDue(100));
      claims.add(other.claimDue(100));
    }
    Await.result(Future.all(claims));

    List<String> claimed = claims.stream().flatMap(c -> c.result().stream()).map(Batch::conversationKey)
        .filter(conversations::contains).toList();
    assertThat(claimed).hasSize(20).doesNotHaveDuplicates();
  }

  /** Another debouncer on the same store (for memory: the same object). */
  protected abstract Debouncer secondInstance();

  @Test
  void twoTenantsWithOneConversationKeyHaveTwoWindowsEachBatchInItsTenant() {
    String other = "acme-" + UUID.randomUUID().toString().substring(0, 8);
    Await.result(debouncer.add(message("ours")));
    Await.result(debouncer.add(message("theirs").inTenant(other)));
    clock.advance(Duration.ofSeconds(2));

    List<Batch> batches = Await.result(debouncer.claimDue(100)).stream()
        .filter(b -> b.conversationId().equals("whatsapp:" + conversation)).toList();

    assertThat(batches).hasSize(2);
    assertThat(batches).extracting(Batch::tenant).containsExactlyInAnyOrder("default", other);
    assertThat(batches).allSatisfy(b -> assertThat(b.messages()).extracting(m -> m.getString("text"))
        .containsExactly(b.tenant().equals(other) ? "theirs" : "ours"));
    batches.forEach(b -> Await.result(debouncer.complete(b)));
    clock.advance(Duration.ofSeconds(2));
    assertThat(Await.result(debouncer.claimDue(100)).stream()
        .filter(b -> b.conversationId().equals("whatsapp:" + conversation))).isEmpty();
  }
}
