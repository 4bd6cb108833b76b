package io.baton.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.bus.Addresses;
import io.baton.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the webhook path asks the operator capability to store: which messages await the bot. */
@Timeout(30)
class TimelineSinkTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void tearDown() {
    Await.result(vertx.close());
  }

  private static InboundMessage message(String customer, String id, boolean standby) {
    return new InboundMessage("messenger", "1", id, customer, null, "text", "hi", null, null,
        Instant.parse("2026-01-01T00:00:00Z"), standby);
  }

  @Test
  void customerMessagesAwaitTheBotButStandbyOnesDoNot() {
    AtomicReference<JsonObject> sent = new AtomicReference<>();
    Await.result(vertx.eventBus().<JsonObject>consumer(Addresses.OPERATOR_ADD_MESSAGES, command -> {
      sent.set(command.body());
      JsonArray answers = new JsonArray();
      command.body().getJsonArray("conversations").forEach(conversation -> answers.add(new JsonObject()
          .put("created_ids", new JsonArray(((JsonObject) conversation).getJsonArray("messages").stream()
              .map(m -> ((JsonObject) m).getString("message_id")).toList()))));
      command.reply(new JsonObject().put("conversations", answers));
    }).completion());
    TimelineSink sink = new TimelineSink(vertx.eventBus(), Duration.ofSeconds(5));

    Await.result(sink.store(List.of(message("1", "mid.a", false), message("1", "mid.s", true))));

    JsonArray messages = sent.get().getJsonArray("conversations").getJsonObject(0).getJsonArray("messages");
    assertThat(messages.getJsonObject(0).getBoolean("await_bot")).isTrue();
    assertThat(messages.getJsonObject(1).getBoolean("await_bot")).isFalse();
  }
}
