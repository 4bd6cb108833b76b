package io.baton.outbound;

import io.baton.config.BatonConfig.ChannelSendConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Locale;

/**
 * WhatsApp Cloud API: {@code POST {base}/{version}/{phone_number_id}/messages} with a Bearer token;
 * text, or media by its id (with the text as caption where WhatsApp allows one).
 * Answers {@code {"messages":[{"id":"wamid…"}]}}.
 */
public final class WhatsAppSender extends ChannelSender {

  public WhatsAppSender(WebClient client, ChannelSendConfig config, Duration timeout) {
    super(client, config, timeout);
  }

  @Override
  public String channel() {
    return "whatsapp";
  }

  @Override
  public Future<String> send(OutboundDelivery delivery) {
    String url = config.baseUrl() + "/" + config.apiVersion() + "/" + delivery.account() + "/messages";
    return client.postAbs(url)
        .putHeader("Authorization", "Bearer " + config.token(delivery.account()))
        .timeout(timeout.toMillis())
        .sendJsonObject(request(delivery))
        .map(response -> {
          JsonArray messages = body(response).getJsonArray("messages", new JsonArray());
          String id = messages.isEmpty() ? null : messages.getJsonObject(0).getString("id");
          return id == null ? missingId("messages[0].id") : id;
        });
  }

  static JsonObject request(OutboundDelivery delivery) {
    JsonObject payload = delivery.payload();
    JsonObject body = new JsonObject()
        .put("messaging_product", "whatsapp")
        .put("recipient_type", "individual")
        .put("to", delivery.recipient());
    JsonObject media = payload.getJsonObject("media");
    String text = payload.getString("text");
    if (media != null && media.getString("id") != null) {
      String type = mediaType(media.getString("mimeType", media.getString("mime_type", "")));
      JsonObject object = new JsonObject().put("id", media.getString("id"));
      // Audio takes no caption; its text, if any, would be lost, so it is not sent as audio's.
      if (text != null && !text.isBlank() && !"audio".equals(type)) {
        object.put("caption", text);
      }
      if ("document".equals(type) && media.getString("filename") != null) {
        object.put("filename", media.getString("filename"));
      }
      return body.put("type", type).put(type, object);
    }
    return body.put("type", "text").put("text", new JsonObject().put("body", text == null ? "" : text));
  }

  /** WhatsApp's media kinds by MIME type; anything else goes as a document. */
  static String mediaType(String mimeType) {
    String mime = mimeType.toLowerCase(Locale.ROOT);
    if (mime.startsWith("image/")) {
      return "image";
    }
    if (mime.startsWith("audio/")) {
      return "audio";
    }
    if (mime.startsWith("video/")) {
      return "video";
    }
    return "document";
  }
}
