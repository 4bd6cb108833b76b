package io.baton.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.events.Event;
import io.baton.events.EventTypes;
import io.baton.storage.MemoryStorage;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.SseStream;
import io.baton.support.SseStream.Frame;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bounds of event streams: the caps on open streams, and a client that does not read. */
@Timeout(120)
class EventStreamLimitsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private BatonInstance baton;
  private HttpClient http;

  private void start(Map<String, String> env) {
    baton = BatonInstance.memory(env);
    http = baton.vertx.createHttpClient(
        new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(baton.port),
        new PoolOptions().setHttp1MaxSize(16));
  }

  @AfterEach
  void stop() {
    Await.result(http.close());
    baton.close();
  }

  /** Waits, bounded, for a count the server keeps (streams are released when their connection closes). */
  private static void awaitCount(IntSupplier count, int expected) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (count.getAsInt() != expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected " + expected + " open streams, have " + count.getAsInt());
      }
      // Nothing announces a released stream to a test; look again shortly (bounded above).
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void overThePerClientCapAStreamIsRefusedWith503AndRetryAfter() {
    start(Map.of("BATON_SSE_MAX_STREAMS_PER_CLIENT", "2"));
    SseStream one = SseStream.open(http, "/api/v1/events", Map.of());
    SseStream two = SseStream.open(http, "/api/v1/events", Map.of());

    SseStream refused = SseStream.open(http, "/api/v1/events", Map.of());

    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(two.statusCode()).isEqualTo(200);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().get("Retry-After")).isNotBlank();
    assertThat(refused.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(refused.problem().getString("detail")).contains("2 event streams");

    one.close();
    awaitCount(baton.app::openStreams, 1);
    SseStream again = SseStream.open(http, "/api/v1/events", Map.of());
    assertThat(again.statusCode()).isEqualTo(200);
    two.close();
    again.close();
  }

  @Test
  void aClientThatStopsReadingIsDisconnectedAndResumesWithEverything() {
    start(Map.of("BATON_SSE_WRITE_QUEUE_BYTES", "8192"));
    SseStream slow = SseStream.open(http, "/api/v1/events?conversation_id=slow", Map.of());
    long position = slow.await(f -> f.event().equals("connected"), WAIT).id();
    slow.pause();

    MemoryStorage storage = (MemoryStorage) baton.app.storage();
    String padding = "x".repeat(16_000);
    int count = 1_500;
    for (int i = 0; i < count; i++) {
      storage.events().append(Event.of(EventTypes.MESSAGE_CREATED, null, "slow", null, null,
          new JsonObject().put("n", i).put("padding", padding), Instant.now()));
    }

    // The server drops the stream once its bounded write queue is full, rather than holding it all.
    awaitCount(baton.app::openStreams, 0);
    slow.close();

    SseStream resumed = SseStream.open(http, "/api/v1/events?conversation_id=slow",
        Map.of("Last-Event-ID", Long.toString(position)));
    List<Frame> events = resumed.awaitEvents(count, WAIT);
    assertThat(events).extracting(f -> f.data().getJsonObject("data").getInteger("n"))
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, count).boxed().toList());
    resumed.close();
  }
}
