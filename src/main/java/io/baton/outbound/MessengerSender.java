package io.baton.outbound;

import io.baton.config.BatonConfig.ChannelSendConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;

/**
 * Messenger Send API: {@code POST {base}/{version}/me/messages?access_token=<page token>} with the
 * messaging type chosen when the message was queued ({@code RESPONSE}, or {@code MESSAGE_TAG} +
 * {@code HUMAN_AGENT}). Answers {@code {"recipient_id","message_id"}}.
 */
public final class MessengerSender extends ChannelSender {

  public MessengerSender(WebClient client, ChannelSendConfig config, Duration timeout) {
    super(client, config, timeout);
  }

  @Override
  public String channel() {
    return "messenger";
  }

  @Override
  public Future<String> send(OutboundDelivery delivery) {
    return client.postAbs(config.baseUrl() + "/" + config.apiVersion() + "/me/messages")
        .addQueryParam("access_token", config.token(delivery.account()))
        .timeout(timeout.toMillis())
        .sendJsonObject(request(delivery))
        .map(response -> {
          String id = body(response).getString("message_id");
          return id == null ? missingId("message_id") : id;
        });
  }

  static JsonObject request(OutboundDelivery delivery) {
    JsonObject payload = delivery.payload();
    JsonObject body = new JsonObject()
        .put("recipient", new JsonObject().put("id", delivery.recipient()))
        .put("messaging_type", payload.getString("messaging_type"));
    if (payload.getString("tag") != null) {
      body.put("tag", payload.getString("tag"));
    }
    JsonObject media = payload.getJsonObject("media");
    String text = payload.getString("text");
    if (text == null && media != null && media.getString("id") != null) {
      // An attachment uploaded to the page before (Attachment Upload API), named by its id.
      String type = WhatsAppSender.mediaType(media.getString("mimeType", media.getString("mime_type", "")));
      return body.put("message", new JsonObject().put("attachment", new JsonObject()
          .put("type", "document".equals(type) ? "file" : type)
          .put("payload", new JsonObject().put("attachment_id", media.getString("id")))));
    }
    return body.put("message", new JsonObject().put("text", text == null ? "" : text));
  }
}
