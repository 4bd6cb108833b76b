package io.baton.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.RedisProxy;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Redis fails after a webhook's messages were stored and before they were buffered for the bot
 * (the real test Redis behind a proxy that goes down on the buffer's command): the webhook is
 * acknowledged (the messages are stored and marked), and once Redis is back the sweeper buffers them:
 * the fake bot (a real HTTP server) gets each message exactly once. PostgreSQL, real Redis, no
 * stand-ins for Baton's own stores.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class RedisOutageRebufferTest {

  static final String APP_SECRET = "rebuffer-app-secret";
  static final String BOT_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  /** The sweeper's "after", small so that the test does not wait the default 30 s. */
  static final long AFTER_MS = 600;

  private final Vertx botVertx = Vertx.vertx();
  private final Queue<JsonObject> received = new ConcurrentLinkedQueue<>();
  private RedisProxy redis;
  private BatonInstance baton;

  @BeforeAll
  void start() {
    HttpServer bot = Await.result(botVertx.createHttpServer().requestHandler(request -> request.body()
            .onSuccess(body -> {
              received.add(body.toJsonObject());
              request.response().setStatusCode(200).putHeader("Content-Type", "application/json").end("{}");
            }))
        .listen(0, "127.0.0.1"));
    redis = new RedisProxy();
    baton = BatonInstance.postgres(Map.of(
        "BATON_CHANNELS_WHATSAPP_APP_SECRET", APP_SECRET,
        "BATON_REDIS_URL", redis.url(),
        "BATON_REDIS_KEY_PREFIX", "test-" + UUID.randomUUID() + ":",
        "BATON_INGEST_BOT_URL", "http://127.0.0.1:" + bot.actualPort() + "/bot",
        "BATON_INGEST_BOT_SECRET", BOT_SECRET,
        "BATON_INGEST_DEBOUNCE_WINDOW_MS", "100",
        "BATON_INGEST_DEBOUNCE_SWEEP_INTERVAL_MS", "20",
        "BATON_INGEST_REBUFFER_AFTER_MS", String.valueOf(AFTER_MS),
        "BATON_INGEST_REBUFFER_EVERY_MS", "100"));
  }

  @AfterAll
  void stop() {
    baton.close();
    redis.close();
    Await.result(botVertx.close());
  }

  private static String customer() {
    return String.valueOf(3_000_000_000L + (long) (Math.random() * 6_000_000_000L));
  }

  private static String webhook(String from, List<String> ids) {
    JsonArray messages = new JsonArray();
    for (String id : ids) {
      messages.add(new JsonObject().put("from", from).put("id", id).put("timestamp", "1749416383")
          .put("type", "text").put("text", new JsonObject().put("body", "text of " + id)));
    }
    return new JsonObject().put("object", "whatsapp_business_account").put("entry", new JsonArray().add(new JsonObject()
        .put("id", "1").put("changes", new JsonArray().add(new JsonObject().put("field", "messages")
            .put("value", new JsonObject().put("metadata", new JsonObject().put("phone_number_id", "1"))
                .put("messages", messages)))))).encode();
  }

  private int post(String body) {
    return Await.result(baton.client.post("/webhooks/whatsapp")
        .putHeader("Content-Type", "application/json")
        .putHeader("X-Hub-Signature-256", Signatures.meta(APP_SECRET, Buffer.buffer(body)))
        .sendBuffer(Buffer.buffer(body))).statusCode();
  }

  private long stored(String from) {
    return Await.result(baton.client.get("/api/v1/conversations/whatsapp:" + from + "/messages").send())
        .bodyAsJsonObject().getLong("total_count");
  }

  /** Every message id the bot received for the customer, once per time received. */
  private List<String> toBot(String from) {
    return received.stream().filter(batch -> ("whatsapp:" + from).equals(batch.getString("conversation_id")))
        .flatMap(batch -> batch.getJsonArray("messages").stream())
        .map(message -> ((JsonObject) message).getString("provider_message_id")).toList();
  }

  private long rebuffered() {
    return Await.result(baton.client.get("/stats").send()).bodyAsJsonObject().getJsonObject("ingest")
        .getLong("rebuffered");
  }

  private static void eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("The condition did not hold within 20 s");
      }
      pause(Duration.ofMillis(20));
    }
  }

  /** Real time, for what must NOT happen: the sweeper gets several rounds to (wrongly) act. */
  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void messagesStoredWhenRedisFailedReachTheBotOnceRedisIsBackExactlyOnce() {
    String from = customer();
    List<String> ids = List.of("wamid." + UUID.randomUUID(), "wamid." + UUID.randomUUID());
    String body = webhook(from, ids);
    long rebufferedBefore = rebuffered();
    redis.cutWhenSent("debounce:{whatsapp:" + from + "}");

    int answer = post(body);

    assertThat(redis.isDown()).isTrue();
    // Stored and marked before Redis failed: durable, so acknowledged.
    assertThat(answer).isEqualTo(200);
    assertThat(stored(from)).isEqualTo(2);
    // Redis stays down past the sweeper's "after": its rounds claim the marks and fail to buffer them.
    pause(Duration.ofMillis(AFTER_MS * 2));
    assertThat(toBot(from)).isEmpty();

    redis.restore();
    // A repeat of the webhook (providers deliver duplicates): the messages are not buffered by it again.
    assertThat(post(body)).isEqualTo(200);

    eventually(() -> toBot(from).size() >= 2);
    pause(Duration.ofMillis(AFTER_MS * 3));
    assertThat(toBot(from)).containsExactlyElementsOf(ids);
    assertThat(stored(from)).isEqualTo(2);
    assertThat(rebuffered()).isEqualTo(rebufferedBefore + 2);
  }

  @Test
  void messagesBufferedByTheirWebhookAreNotBufferedAgain() {
    String from = customer();
    List<String> ids = List.of("wamid." + UUID.randomUUID(), "wamid." + UUID.randomUUID());
    long rebufferedBefore = rebuffered();

    assertThat(post(webhook(from, ids))).isEqualTo(200);

    eventually(() -> toBot(from).size() >= 2);
    pause(Duration.ofMillis(AFTER_MS * 3));
    assertThat(toBot(from)).containsExactlyElementsOf(ids);
    assertThat(rebuffered()).isEqualTo(rebufferedBefore);
  }
}
