package io.baton.outbound;

import io.baton.config.BatonConfig.ChannelSendConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;

/**
 * X direct messages (v2): {@code POST {base}/2/dm_conversations/with/{participant_id}/messages} with
 * the account's Bearer user token. Answers 201 {@code {"data":{"dm_conversation_id","dm_event_id"}}}.
 */
public final class TwitterSender extends ChannelSender {

  public TwitterSender(WebClient client, ChannelSendConfig config, Duration timeout) {
    super(client, config, timeout);
  }

  @Override
  public String channel() {
    return "twitter";
  }

  @Override
  public Future<String> send(OutboundDelivery delivery) {
    return client.postAbs(config.baseUrl() + "/2/dm_conversations/with/" + delivery.recipient() + "/messages")
        .putHeader("Authorization", "Bearer " + config.token(delivery.account()))
        .timeout(timeout.toMillis())
        .sendJsonObject(request(delivery))
        .map(response -> {
          JsonObject data = body(response).getJsonObject("data");
          String id = data == null ? null : data.getString("dm_event_id");
          return id == null ? missingId("data.dm_event_id") : id;
        });
  }

  static JsonObject request(OutboundDelivery delivery) {
    JsonObject payload = delivery.payload();
    JsonObject body = new JsonObject();
    String text = payload.getString("text");
    if (text != null) {
      body.put("text", text);
    }
    JsonObject media = payload.getJsonObject("media");
    if (media != null && media.getString("id") != null) {
      body.put("attachments", new JsonArray().add(new JsonObject().put("media_id", media.getString("id"))));
    }
    return body;
  }
}
