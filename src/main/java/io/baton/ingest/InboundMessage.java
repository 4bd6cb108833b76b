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
    boolean standby,
    String tenant) {

  private static final String DEFAULT_TENANT = "default";

  public InboundMessage {
    tenant = tenant == null ? DEFAULT_TENANT : tenant;
  }

  /** As parsed, before its account's tenant is known: the default tenant. */
  public InboundMessage(String channel, String account, String providerMessageId, String customerId,
      String customerName, String type, String text, JsonObject content, String replyTo, Instant timestamp,
      boolean standby) {
    this(channel, account, providerMessageId, customerId, customerName, type, text, content, replyTo, timestamp,
        standby, DEFAULT_TENANT);
  }

  /** The message as its account's tenant receives it. */
  public InboundMessage inTenant(String newTenant) {
    return new InboundMessage(channel, account, providerMessageId, customerId, customerName, type, text, content,
        replyTo, timestamp, standby, newTenant);
  }

  /**
   * What a debounce window is keyed by: the conversation within its tenant. The default tenant's
   * keys are the conversation's alone, as they were before tenants, so windows open across an
   * upgrade are still found.
   */
  public String windowKey() {
    return DEFAULT_TENANT.equals(tenant) ? conversationKey() : tenant + "|" + conversationKey();
  }

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
        .put("standby", standby)
        .put("tenant", tenant);
  }

  public static InboundMessage fromJson(JsonObject json) {
    return new InboundMessage(json.getString("channel"), json.getString("account"),
        json.getString("provider_message_id"), json.getString("customer_id"), json.getString("customer_name"),
        json.getString("type"), json.getString("text"), json.getJsonObject("content"), json.getString("reply_to"),
        Instant.parse(json.getString("timestamp")), json.getBoolean("standby", false), json.getString("tenant"));
  }
}
