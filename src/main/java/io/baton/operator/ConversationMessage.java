package io.baton.operator;

import io.baton.handoff.Speaker;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One entry of a conversation's timeline. {@code deliveryStatus} is for messages that go out to the
 * customer (an agent's): {@code queued} until a channel reports more; null for the others.
 * {@code providerMessageId} is the channel's id of a message Baton sent (wamid, Messenger
 * message_id, X dm_event_id), known once the channel took it.
 */
public record ConversationMessage(
    String messageId,
    String conversationId,
    Speaker speaker,
    String content,
    String agentId,
    JsonObject media,
    String deliveryStatus,
    Instant createdAt,
    String providerMessageId) {

  public ConversationMessage(String messageId, String conversationId, Speaker speaker, String content, String agentId,
      JsonObject media, String deliveryStatus, Instant createdAt) {
    this(messageId, conversationId, speaker, content, agentId, media, deliveryStatus, createdAt, null);
  }

  public static final String QUEUED = "queued";

  /**
   * The order delivery statuses move in; a status never moves backwards ({@code read} may come
   * without {@code delivered}; {@code failed} is final). Unknown statuses rank below every known one.
   */
  public static int statusRank(String status) {
    return switch (status == null ? "" : status) {
      case QUEUED -> 0;
      case "sent" -> 1;
      case "delivered" -> 2;
      case "read" -> 3;
      case "failed" -> 4;
      default -> -1;
    };
  }

  public ConversationMessage withDeliveryStatus(String status) {
    return new ConversationMessage(messageId, conversationId, speaker, content, agentId, media, status, createdAt,
        providerMessageId);
  }

  public ConversationMessage withProviderMessageId(String id) {
    return new ConversationMessage(messageId, conversationId, speaker, content, agentId, media, deliveryStatus,
        createdAt, id);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("message_id", messageId)
        .put("conversation_id", conversationId)
        .put("message_owner", speaker.wireName())
        .put("content", content)
        .put("agent_id", agentId)
        .put("media", media)
        .put("delivery_status", deliveryStatus)
        .put("provider_message_id", providerMessageId)
        .put("created_at", createdAt.toString());
  }
}
