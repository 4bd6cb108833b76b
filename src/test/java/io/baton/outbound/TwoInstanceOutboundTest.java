package io.baton.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.config.BatonConfig.PostgresConfig;
import io.baton.ingest.Signatures;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.FakeChannels;
import io.baton.support.MutableClock;
import io.baton.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two Batons on one database retry the same sends: each message reaches WhatsApp exactly once, and
 * the sends of an instance that stopped are taken over by the other.
 */
@Timeout(120)
class TwoInstanceOutboundTest {

  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  private Vertx fakes;
  private FakeChannels channels;
  private PostgresConfig schema;
  private BatonInstance first;
  private BatonInstance second;

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>(channels.env());
    env.put("BATON_CHANNELS_WHATSAPP_APP_SECRET", OutboundApiContract.APP_SECRET);
    // The race is about claims, not the breaker: it stays closed through the outage.
    env.put("BATON_OUTBOUND_BREAKER_FAILURE_THRESHOLD", "1000");
    env.put("BATON_OUTBOUND_RETRY_POLL_MS", "20");
    env.put("BATON_OUTBOUND_RETRY_BATCH_SIZE", "4");
    env.put("BATON_OUTBOUND_RETRY_MAX_DELAY_MS", "5000");
    env.put("BATON_OUTBOUND_BREAKER_CALL_TIMEOUT_MS", "10000");
    env.put("BATON_STORAGE_MODE", "postgres");
    return env;
  }

  @BeforeEach
  void start() {
    fakes = Vertx.vertx();
    channels = FakeChannels.start(fakes);
    schema = TestServices.freshSchema(8);
    first = BatonInstance.postgresOn(schema, env(), clock);
    second = BatonInstance.postgresOn(schema, env(), clock);
  }

  @AfterEach
  void stop() {
    if (first != null) {
      first.close();
    }
    second.close();
    channels.close();
    Await.result(fakes.close());
    TestServices.dropSchema(schema);
  }

  /** A customer writes (through {@code baton}), then an operator answers: answers the message id. */
  private String conversationWithAnswer(BatonInstance baton, String phone) {
    String body = OutboundApiContract.whatsappMessage(phone);
    assertThat(Await.result(baton.client.post("/webhooks/whatsapp").putHeader("Content-Type", "application/json")
        .putHeader("X-Hub-Signature-256", Signatures.meta(OutboundApiContract.APP_SECRET, Buffer.buffer(body)))
        .sendBuffer(Buffer.buffer(body))).statusCode()).isEqualTo(200);
    JsonObject answer = Await.result(baton.client.post("/api/v1/operator-message")
        .sendJsonObject(new JsonObject().put("phone", phone).put("message", "answer to " + phone))).bodyAsJsonObject();
    return answer.getString("message_id");
  }

  private String status(String phone, String messageId) {
    return Await.result(second.client.get("/api/v1/conversations/whatsapp:" + phone + "/messages?page_size=100").send())
        .bodyAsJsonObject().getJsonArray("messages").stream().map(JsonObject.class::cast)
        .filter(m -> messageId.equals(m.getString("message_id"))).findFirst().orElseThrow()
        .getString("delivery_status");
  }

  private long accepted(String phone) {
    return channels.received("whatsapp").stream()
        .filter(r -> r.accepted() && phone.equals(r.body().getString("to"))).count();
  }

  private void allSent(List<String> phones, List<String> ids) {
    OutboundApiContract.retryUntil("every message is sent", clock,
        () -> IntStream.range(0, phones.size()).allMatch(i -> "sent".equals(status(phones.get(i), ids.get(i)))));
  }

  @Test
  void twoInstancesRetryingTheSameSendsSendEachOnce() {
    channels.down("whatsapp", 503);
    List<String> phones = IntStream.range(0, 24).mapToObj(i -> OutboundApiContract.id()).toList();
    List<String> ids = IntStream.range(0, phones.size())
        .mapToObj(i -> conversationWithAnswer(i % 2 == 0 ? first : second, phones.get(i))).toList();
    OutboundApiContract.eventually("every first attempt fails", () ->
        channels.received("whatsapp").size() >= phones.size());
    assertThat(ids).allMatch(id -> id != null);

    channels.up("whatsapp");
    allSent(phones, ids);
    for (String phone : phones) {
      assertThat(accepted(phone)).as("sends to " + phone).isEqualTo(1);
    }
  }

  @Test
  void theSendsOfAStoppedInstanceAreTakenOverByTheOther() {
    channels.down("whatsapp", 503);
    List<String> phones = IntStream.range(0, 6).mapToObj(i -> OutboundApiContract.id()).toList();
    List<String> ids = phones.stream().map(phone -> conversationWithAnswer(first, phone)).toList();
    OutboundApiContract.eventually("every first attempt fails", () ->
        channels.received("whatsapp").size() >= phones.size());
    first.close();
    first = null;

    channels.up("whatsapp");
    allSent(phones, ids);
    for (String phone : phones) {
      assertThat(accepted(phone)).isEqualTo(1);
    }
  }
}
