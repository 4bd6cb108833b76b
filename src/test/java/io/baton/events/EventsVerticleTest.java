package io.baton.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.bus.Addresses;
import io.baton.config.BatonConfig.EventsConfig;
import io.baton.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The relay publishes appended events in order, at once, and serves reads up to what it published. */
@Timeout(30)
class EventsVerticleTest {

  /** A poll interval far longer than the test: only wake-ups can deliver in time. */
  private static final EventsConfig CONFIG =
      new EventsConfig(Duration.ofMinutes(10), 2, Duration.ofDays(7), Duration.ofMinutes(60));

  private Vertx vertx;
  private MemoryEventLog log;
  private final BlockingQueue<JsonObject> published = new LinkedBlockingQueue<>();

  @BeforeEach
  void deploy() {
    vertx = Vertx.vertx();
    log = new MemoryEventLog(100);
    log.append(event("before"));
    vertx.eventBus().<EventBatch>consumer(Addresses.EVENTS_APPENDED,
        message -> message.body().events().forEach(event -> published.add(event.toJson())));
    Await.result(vertx.deployVerticle(new EventsVerticle(new MemoryEventFeed(log), CONFIG, Clock.systemUTC())));
  }

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  private static Event event(String handoffId) {
    return Event.of(EventTypes.HANDOFF_CREATED, handoffId, "conv-" + handoffId, "general_support", null,
        new JsonObject(), Instant.now());
  }

  private List<JsonObject> take(int count) throws InterruptedException {
    List<JsonObject> taken = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JsonObject next = published.poll(10, TimeUnit.SECONDS);
      assertThat(next).as("event %d of %d", i + 1, count).isNotNull();
      taken.add(next);
    }
    return taken;
  }

  @Test
  void publishesEveryEventAppendedAfterStartInIdOrderBeyondOneBatch() throws InterruptedException {
    List<Long> appended = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      appended.add(log.append(event("ho-" + i)).id());
    }

    List<JsonObject> events = take(5);

    assertThat(events).extracting(e -> e.getLong("event_id")).containsExactlyElementsOf(appended);
    assertThat(events.getFirst().getString("type")).isEqualTo(EventTypes.HANDOFF_CREATED);
    assertThat(events.getFirst().getString("handoff_id")).isEqualTo("ho-0");
    assertThat(published.poll()).as("the event from before the start is not published").isNull();
  }

  @Test
  void readsServeTheLogUpToWhatIsPublishedFilteredAndPaged() throws InterruptedException {
    long first = log.append(event("ho-a")).id();
    log.append(event("ho-b"));
    log.append(event("ho-a"));
    take(3);

    JsonObject page = Await.result(vertx.eventBus().<JsonObject>request(Addresses.EVENTS_READ,
        new JsonObject().put("after", first - 1).put("filter", new JsonObject().put("conversation_id", "conv-ho-a"))))
        .body();
    JsonObject position = Await.result(vertx.eventBus().<JsonObject>request(Addresses.EVENTS_READ,
        new JsonObject())).body();

    // One page is at most batch_size (2) events of the log, before filtering.
    assertThat(page.getJsonArray("events")).hasSize(1);
    assertThat(page.getJsonArray("events").getJsonObject(0).getLong("event_id")).isEqualTo(first);
    assertThat(page.getBoolean("done")).isFalse();
    assertThat(page.getLong("next_after")).isEqualTo(first + 1);
    assertThat(position.getLong("horizon")).isEqualTo(first + 2);
    assertThat(position.getJsonArray("events")).isEmpty();
  }

  @Test
  void aReadFromBeforeWhatRetentionRemovedIsAReset() {
    log.prune(Instant.now().plusSeconds(60), Long.MAX_VALUE, 100);

    JsonObject page = Await.result(vertx.eventBus().<JsonObject>request(Addresses.EVENTS_READ,
        new JsonObject().put("after", 0L))).body();

    assertThat(page.getBoolean("reset")).isTrue();
    assertThat(page.getLong("pruned_through")).isEqualTo(1L);
  }
}
