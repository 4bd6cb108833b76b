package io.baton.helpdesk;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * A ticket of the built-in helpdesk. {@code source} and {@code customer} are the seed API's objects
 * as given (the customer's {@code internal_id} is {@code customerId}); {@code timeline} holds the
 * entries oldest first, each {@code {message_id, timestamp, sender_type, content, content_type,
 * visibility, agent_id?}}. {@code handoffId} is set when the ticket was opened for a handoff.
 */
public record Ticket(
    String id,
    String handoffId,
    TicketStatus status,
    String priority,
    String assignedAgentId,
    String customerId,
    String subject,
    List<String> tags,
    JsonObject source,
    JsonObject customer,
    JsonArray timeline,
    Instant createdAt,
    Instant updatedAt,
    long version) {

  public static final List<String> PRIORITIES = List.of("low", "medium", "high", "urgent");

  /** The same ticket one version later, changed at {@code at}. */
  public Ticket changed(TicketStatus newStatus, String newPriority, String newAgent, String newSubject,
      List<String> newTags, JsonArray newTimeline, Instant at) {
    return new Ticket(id, handoffId, newStatus, newPriority, newAgent, customerId, newSubject, List.copyOf(newTags),
        source, customer, newTimeline, createdAt, at, version + 1);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("ticket_id", id)
        .put("created_at", createdAt.toString())
        .put("updated_at", updatedAt.toString())
        .put("status", status.wireName())
        .put("priority", priority)
        .put("assigned_agent_id", assignedAgentId)
        .put("tags", new JsonArray(tags))
        .put("source", source)
        .put("customer", customer.copy().put("internal_id", customerId))
        .put("subject", subject)
        .put("handoff_id", handoffId)
        .put("timeline", timeline);
  }

  /** The tickets table's columns by name (how a ticket written with its handoff travels). */
  public JsonObject toRow() {
    return new JsonObject()
        .put("ticket_id", id)
        .put("handoff_id", handoffId)
        .put("status", status.wireName())
        .put("priority", priority)
        .put("assigned_agent_id", assignedAgentId)
        .put("customer_id", customerId)
        .put("subject", subject)
        .put("tags", new JsonArray(tags))
        .put("source", source)
        .put("customer", customer)
        .put("timeline", timeline)
        .put("created_at", createdAt.toString())
        .put("updated_at", updatedAt.toString())
        .put("version", version);
  }

  public static Ticket fromRow(JsonObject row) {
    return new Ticket(row.getString("ticket_id"), row.getString("handoff_id"),
        TicketStatus.parse(row.getString("status")).orElseThrow(), row.getString("priority"), row.getString("assigned_agent_id"),
        row.getString("customer_id"), row.getString("subject"),
        row.getJsonArray("tags").stream().map(String::valueOf).toList(), row.getJsonObject("source"),
        row.getJsonObject("customer"), row.getJsonArray("timeline"), Instant.parse(row.getString("created_at")),
        Instant.parse(row.getString("updated_at")), row.getLong("version"));
  }

  /** The customer's list entry. */
  public JsonObject toSummary() {
    return new JsonObject()
        .put("ticket_id", id)
        .put("subject", subject)
        .put("status", status.wireName())
        .put("created_at", createdAt.toString());
  }
}
