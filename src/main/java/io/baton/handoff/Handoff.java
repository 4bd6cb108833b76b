package io.baton.handoff;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * A request to move a conversation to a human. {@code trigger} is the trigger that fired, as sent
 * to clients ({@code type, confidence, reason, matched}), or null.
 */
public record Handoff(
    String id,
    String conversationId,
    String userId,
    String kind,
    HandoffStatus status,
    Priority priority,
    String queue,
    String routingRule,
    String assignedAgent,
    String ticketId,
    String ticketUrl,
    JsonObject trigger,
    List<String> tags,
    List<ChatMessage> transcript,
    JsonObject metadata,
    JsonObject context,
    Instant createdAt,
    Instant updatedAt,
    long version) {

  public static final String KIND_HANDOFF = "handoff";
  /** A question for a human (metadata.approval: question, options), closed by an answer that goes back to the bot. */
  public static final String KIND_APPROVAL = "approval";

  public Handoff withStatus(HandoffStatus newStatus, Instant at) {
    return new Handoff(id, conversationId, userId, kind, newStatus, priority, queue, routingRule, assignedAgent,
        ticketId, ticketUrl, trigger, tags, transcript, metadata, context, createdAt, at, version + 1);
  }

  /** A draft that is created with its ticket (the built-in helpdesk's), in the same version. */
  public Handoff withNewTicket(String newTicketId, String newTicketUrl) {
    return new Handoff(id, conversationId, userId, kind, status, priority, queue, routingRule, assignedAgent,
        newTicketId, newTicketUrl, trigger, tags, transcript, metadata, context, createdAt, updatedAt, version);
  }

  public Handoff withTicket(String newTicketId, String newTicketUrl, Instant at) {
    return new Handoff(id, conversationId, userId, kind, status, priority, queue, routingRule, assignedAgent,
        newTicketId, newTicketUrl, trigger, tags, transcript, metadata, context, createdAt, at, version + 1);
  }

  /** The client's view (the seed story's response model). The transcript is not echoed. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("handoff_id", id)
        .put("status", status.wireName())
        .put("kind", kind)
        .put("conversation_id", conversationId)
        .put("user_id", userId)
        .put("priority", priority.name())
        .put("ticket_id", ticketId)
        .put("ticket_url", ticketUrl)
        .put("assigned_agent", assignedAgent)
        .put("assigned_queue", queue)
        .put("routing_rule", routingRule)
        .put("tags", new JsonArray(tags))
        .put("trigger", trigger)
        .put("created_at", createdAt.toString())
        .put("updated_at", updatedAt.toString())
        .put("metadata", metadata)
        .put("context", context);
  }

  /** The transcript as stored: {@code [{speaker, content}]}. */
  public static JsonArray transcriptJson(List<ChatMessage> transcript) {
    JsonArray array = new JsonArray();
    for (ChatMessage message : transcript) {
      array.add(new JsonObject().put("speaker", message.speaker().wireName()).put("content", message.content()));
    }
    return array;
  }

  public static List<ChatMessage> transcriptFrom(JsonArray array) {
    return array.stream()
        .map(JsonObject.class::cast)
        .map(m -> new ChatMessage(Speaker.parse(m.getString("speaker")).orElse(Speaker.USER), m.getString("content")))
        .toList();
  }
}
