package io.baton.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.events.EventTypes;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.SseStream;
import io.baton.support.SseStream.Frame;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two instances on one database: a stream on one sees what commits through the other. */
@Timeout(120)
class TwoInstanceEventStreamsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static String create(BatonInstance baton, String conversationId) {
    JsonObject body = new JsonObject().put("conversation_id", conversationId).put("user_id", "u")
        .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user").put("content", "hi")));
    return Await.result(baton.client.post("/api/v1/handoff").sendJsonObject(body)).bodyAsJsonObject()
        .getString("handoff_id");
  }

  @Test
  void aStreamOnOneInstanceGetsEventsCommittedThroughTheOther() {
    // The relays' default poll (events.poll_ms, 25 ms): B learns of A's commit by reading the log.
    Map<String, String> env = Map.of();
    try (BatonInstance a = BatonInstance.postgres(env); BatonInstance b = BatonInstance.postgresOn(a.schema(), env)) {
      HttpClient onB = b.vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(b.port));
      String conversationId = "conv-" + UUID.randomUUID();
      SseStream stream = SseStream.open(onB, "/api/v1/events?conversation_id=" + conversationId, Map.of());
      long position = stream.await(f -> f.event().equals("connected"), WAIT).id();

      long sent = System.nanoTime();
      String handoffId = create(a, conversationId);
      Frame created = stream.await(f -> f.event().equals(EventTypes.HANDOFF_CREATED), WAIT);
      long millis = (System.nanoTime() - sent) / 1_000_000;

      assertThat(created.data().getString("handoff_id")).isEqualTo(handoffId);
      assertThat(millis).as("delivery through the other instance, in ms").isLessThan(2_000);
      stream.close();

      Await.result(a.client.post("/api/v1/handoffs/" + handoffId + "/cancel").sendJsonObject(new JsonObject()));
      SseStream resumed = SseStream.open(onB, "/api/v1/events?conversation_id=" + conversationId,
          Map.of("Last-Event-ID", Long.toString(position)));
      List<Frame> events = resumed.awaitEvents(2, WAIT);
      assertThat(events).extracting(Frame::event).containsExactly(EventTypes.HANDOFF_CREATED,
          EventTypes.HANDOFF_CANCELLED);
      resumed.close();
      Await.result(onB.close());
    }
  }
}
