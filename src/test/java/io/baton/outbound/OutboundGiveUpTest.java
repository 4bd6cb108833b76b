package io.baton.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.events.Event;
import io.baton.events.EventTypes;
import io.baton.ingest.Signatures;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.FakeChannels;
import io.baton.support.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A provider that stays down: the message is tried max_attempts times, then failed, with its events. */
@Timeout(90)
class OutboundGiveUpTest {

  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  private Vertx fakes;
  private FakeChannels channels;
  private BatonInstance baton;

  @BeforeEach
  void start() {
    fakes = Vertx.vertx();
    channels = FakeChannels.start(fakes);
    Map<String, String> env = new HashMap<>(channels.env());
    env.put("BATON_CHANNELS_TWITTER_CONSUMER_SECRET", OutboundApiContract.X_SECRET);
    env.put("BATON_OUTBOUND_RETRY_MAX_ATTEMPTS", "3");
    env.put("BATON_OUTBOUND_RETRY_MAX_DELAY_MS", "5000");
    env.put("BATON_OUTBOUND_RETRY_POLL_MS", "20");
    env.put("BATON_OUTBOUND_BREAKER_CALL_TIMEOUT_MS", "10000");
    env.put("BATON_OUTBOUND_BREAKER_FAILURE_THRESHOLD", "1000");
    baton = BatonInstance.memory(env, clock);
  }

  @AfterEach
  void stop() {
    baton.close();
    channels.close();
    Await.result(fakes.close());
  }

  @Test
  void aSendIsGivenUpAfterMaxAttemptsAndTheMessageFails() {
    String sender = OutboundApiContract.id();
    String body = OutboundApiContract.xMessage(sender);
    assertThat(Await.result(baton.client.post("/webhooks/twitter").putHeader("Content-Type", "application/json")
        .putHeader("x-twitter-webhooks-signature", Signatures.twitter(OutboundApiContract.X_SECRET, body.getBytes()))
        .sendBuffer(Buffer.buffer(body))).statusCode()).isEqualTo(200);
    channels.down("twitter", 500);
    String conversation = "twitter:" + sender;
    String messageId = Await.result(baton.client.post("/api/v1/conversations/" + conversation + "/messages")
        .sendJsonObject(new JsonObject().put("content", "hello").put("message_owner", "agent")
            .put("agent_id", "agent-1"))).bodyAsJsonObject().getString("message_id");

    OutboundApiContract.retryUntil("the message fails", clock, () -> "failed".equals(status(conversation, messageId)));
    assertThat(channels.received("twitter")).hasSize(3);
    JsonObject twitter = Await.result(baton.client.get("/stats").send()).bodyAsJsonObject()
        .getJsonObject("delivery").getJsonObject("twitter");
    assertThat(twitter.getLong("retried")).isEqualTo(2);
    assertThat(twitter.getLong("failed")).isEqualTo(1);
    assertThat(twitter.getLong("sent")).isZero();

    List<Event> events = Await.result(baton.app.storage().eventFeed().read(0, Long.MAX_VALUE, null, 10_000));
    assertThat(events).filteredOn(e -> e.type().equals(EventTypes.MESSAGE_DELIVERY_FAILED)).singleElement()
        .satisfies(e -> {
          assertThat(e.conversationId()).isEqualTo(conversation);
          assertThat(e.agentId()).isEqualTo("agent-1");
          assertThat(e.data().getInteger("attempts")).isEqualTo(3);
          assertThat(e.data().getString("error")).contains("twitter answered 500");
        });
    assertThat(events).anyMatch(e -> e.type().equals(EventTypes.MESSAGE_STATUS_UPDATED)
        && messageId.equals(e.data().getString("message_id")) && "failed".equals(e.data().getString("delivery_status")));
  }

  private String status(String conversation, String messageId) {
    return Await.result(baton.client.get("/api/v1/conversations/" + conversation + "/messages").send())
        .bodyAsJsonObject().getJsonArray("messages").stream().map(JsonObject.class::cast)
        .filter(m -> messageId.equals(m.getString("message_id"))).findFirst().orElseThrow()
        .getString("delivery_status");
  }
}
