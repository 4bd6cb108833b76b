package io.baton.ingest.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.ingest.Signatures;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Webhook to bot, end to end: a fake bot (a real HTTP server) receives debounced batches as Standard
 * Webhooks; failures are retried with the same webhook-id; triggers and the bot's answer create
 * handoffs; a conversation an agent owns is not sent to the bot.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class DispatchTest {

  static final String APP_SECRET = "dispatch-app-secret";
  static final String BOT_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  record Received(String id, String timestamp, String signature, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private final Vertx botVertx = Vertx.vertx();
  private HttpServer bot;
  private final Queue<Received> received = new ConcurrentLinkedQueue<>();
  /** Per conversation, how the bot answers the n-th request (0-based). */
  private final Map<String, Function<Integer, int[]>> statusPlans = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> answers = new ConcurrentHashMap<>();
  /** Per conversation, how long the bot takes to answer (ms). */
  private final Map<String, Long> answerDelays = new ConcurrentHashMap<>();
  private BatonInstance baton;

  @BeforeAll
  void start() {
    bot = Await.result(botVertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1"));
    baton = BatonInstance.memory(Map.of(
        "BATON_CHANNELS_WHATSAPP_APP_SECRET", APP_SECRET,
        "BATON_INGEST_BOT_URL", "http://127.0.0.1:" + bot.actualPort() + "/bot",
        "BATON_INGEST_BOT_SECRET", BOT_SECRET,
        "BATON_INGEST_BOT_BACKOFF_MS", "20",
        "BATON_INGEST_DEBOUNCE_WINDOW_MS", "150",
        "BATON_INGEST_DEBOUNCE_SWEEP_INTERVAL_MS", "20"));
  }

  @AfterAll
  void stop() {
    baton.close();
    Await.result(botVertx.close());
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      Received r = new Received(request.getHeader("webhook-id"), request.getHeader("webhook-timestamp"),
          request.getHeader("webhook-signature"), body.toString());
      String conversation = r.json().getString("conversation_id");
      int attempt = (int) received.stream().filter(x -> x.json().getString("conversation_id").equals(conversation))
          .count();
      received.add(r);
      int status = statusPlans.getOrDefault(conversation, n -> new int[] {200}).apply(attempt)[0];
      botVertx.setTimer(answerDelays.getOrDefault(conversation, 1L), timer -> request.response().setStatusCode(status)
          .putHeader("Content-Type", "application/json")
          .end(answers.getOrDefault(conversation, new JsonObject().put("ok", true)).encode()));
    });
  }

  private static String customer() {
    return String.valueOf(2_000_000_000L + (long) (Math.random() * 7_000_000_000L));
  }

  private void post(String from, String text) {
    String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
        + "\"value\":{\"metadata\":{\"phone_number_id\":\"1\"},\"messages\":[{\"from\":\"" + from + "\",\"id\":\"wamid."
        + UUID.randomUUID() + "\",\"timestamp\":\"1749416383\",\"type\":\"text\",\"text\":{\"body\":\"" + text
        + "\"}}]}}]}]}";
    int status = Await.result(baton.client.post("/webhooks/whatsapp")
        .putHeader("X-Hub-Signature-256", Signatures.meta(APP_SECRET, Buffer.buffer(body)))
        .sendBuffer(Buffer.buffer(body))).statusCode();
    assertThat(status).isEqualTo(200);
  }

  private List<Received> toBot(String conversation) {
    return received.stream().filter(r -> r.json().getString("conversation_id").equals(conversation)).toList();
  }

  /** Waits for what real time must bring (windows are real here; their logic is tested on a clock). */
  private static void eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("The condition did not hold within 15 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private JsonObject dispatchStats() {
    return Await.result(baton.client.get("/stats").send()).bodyAsJsonObject().getJsonObject("dispatch");
  }

  private JsonObject conversation(String key) {
    return Await.result(baton.client.get("/api/v1/conversations/" + key).send()).bodyAsJsonObject();
  }

  @Test
  void aSlowBotAnswerDoesNotHoldBackOtherConversationsBatches() {
    String slow = customer();
    String other = customer();
    answerDelays.put("whatsapp:" + slow, 3_000L);
    post(slow, "a question the bot thinks about");
    eventually(() -> toBot("whatsapp:" + slow).size() == 1);

    long posted = System.nanoTime();
    post(other, "a quick one");
    eventually(() -> toBot("whatsapp:" + other).size() == 1);
    // Its window is 150 ms; waiting for the slow answer would take 3 s.
    assertThat(Duration.ofNanos(System.nanoTime() - posted)).isLessThan(Duration.ofMillis(2_000));
  }

  @Test
  void messagesInOneWindowReachTheBotAsOneSignedBatch() {
    String from = customer();
    post(from, "hello");
    post(from, "are you there?");

    eventually(() -> toBot("whatsapp:" + from).size() == 1);
    Received batch = toBot("whatsapp:" + from).getFirst();
    JsonObject body = batch.json();
    assertThat(body.getJsonArray("messages")).extracting(m -> ((JsonObject) m).getString("text"))
        .containsExactly("hello", "are you there?");
    assertThat(batch.id()).isEqualTo(body.getString("batch_id"));
    assertThat(body.getString("tenant")).isEqualTo("default");
    assertThat(batch.signature()).isEqualTo(
        StandardWebhooks.sign(BOT_SECRET, batch.id(), Long.parseLong(batch.timestamp()), batch.body()));
    assertThat(Math.abs(Long.parseLong(batch.timestamp()) - System.currentTimeMillis() / 1000)).isLessThan(300);
  }

  @Test
  void aFailedCallIsRetriedWithTheSameWebhookId() {
    String from = customer();
    statusPlans.put("whatsapp:" + from, n -> new int[] {n < 2 ? 503 : 200});
    post(from, "retry me");

    eventually(() -> toBot("whatsapp:" + from).size() == 3);
    List<Received> attempts = toBot("whatsapp:" + from);
    assertThat(attempts).extracting(Received::id).containsOnly(attempts.getFirst().id());
  }

  @Test
  void theBotAskingForAHumanCreatesAHandoff() {
    String from = customer();
    answers.put("whatsapp:" + from, new JsonObject().put("handoff", true).put("reason", "refund over limit"));
    post(from, "I want my money back for order 1234");

    eventually(() -> "QUEUED".equals(conversation("whatsapp:" + from).getString("owner")));
    JsonObject active = conversation("whatsapp:" + from).getJsonObject("active_handoff");
    assertThat(active.getJsonObject("metadata").getString("bot_reason")).isEqualTo("refund over limit");
  }

  @Test
  void aTriggerCreatesAHandoffWithoutCallingTheBot() {
    String from = customer();
    post(from, "I want to talk to a human agent please");

    eventually(() -> "QUEUED".equals(conversation("whatsapp:" + from).getString("owner")));
    assertThat(toBot("whatsapp:" + from)).isEmpty();
  }

  @Test
  void aConversationAnAgentOwnsIsNotSentToTheBot() {
    String from = customer();
    post(from, "first");
    eventually(() -> toBot("whatsapp:" + from).size() == 1);
    assertThat(Await.result(baton.client.post("/api/v1/takeover")
        .sendJsonObject(new JsonObject().put("conversation_id", "whatsapp:" + from).put("agent_id", "agent-7")))
        .statusCode()).isEqualTo(200);
    long toAgents = dispatchStats().getLong("to_agents");

    post(from, "second, for the agent");

    eventually(() -> dispatchStats().getLong("to_agents") > toAgents);
    assertThat(toBot("whatsapp:" + from)).hasSize(1);
    JsonArray timeline = Await.result(baton.client.get("/api/v1/conversations/whatsapp:" + from + "/messages").send())
        .bodyAsJsonObject().getJsonArray("messages");
    assertThat(timeline).extracting(m -> ((JsonObject) m).getString("content")).containsExactly("first",
        "second, for the agent");
  }
}
