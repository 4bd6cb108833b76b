package io.baton.ingest;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A customer's message from any channel, in one shape. {@code type} is the channel's own kind
 * (text, image, audio, document, video, sticker, location, interactive, button, reaction,
 * quick_reply, postback, attachment, unsupported); {@code text} is what a person would read, if
 * anything; {@code content} holds the rest (media ids, coordinates, the chosen reply, the emoji).
 * {@code standby} marks Messenger events of a thread another app owns.
 */
public record InboundMessage(
    String channel,
    String account,
    String providerMessageId,
    String customerId,
    String customerName,
    String type,
    String text,
    JsonObject content,
    String replyTo,
    Instant timestamp,
    boolean standby) {

  /** The conversation of channel traffic: the channel and the customer's id on it. */
  public String conversationKey() {
    return channel + ":" + customerId;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("channel", channel)
        .put("account", account)
        .put("provider_message_id", providerMessageId)
        .put("conversation_key", conversationKey())
        .put("customer_id", customerId)
        .put("customer_name", customerName)
        .put("speaker", "user")
        .put("type", type)
        .put("text", text)
        .put("content", content)
        .put("reply_to", replyTo)
        .put("timestamp", timestamp.toString())
        .put("standby", standby);
  }

  public static InboundMessage fromJson(JsonObject json) {
    return new InboundMessage(json.getString("channel"), json.getString("account"),
        json.getString("provider_message_id"), json.getString("customer_id"), json.getString("customer_name"),
        json.getString("type"), json.getString("text"), json.getJsonObject("content"), json.getString("reply_to"),
        Instant.parse(json.getString("timestamp")), json.getBoolean("standby", false));
  }
}
