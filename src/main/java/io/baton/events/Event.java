package io.baton.events;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One entry of the ordered event log: the audit trail, the outbox for side effects and the replay
 * source for live streams. {@code id} is assigned by the log when the event is appended.
 */
public record Event(
    long id,
    String type,
    String handoffId,
    String conversationId,
    String queue,
    String agentId,
    JsonObject data,
    Instant at,
    String tenant) {

  public Event {
    tenant = tenant == null ? DEFAULT_TENANT : tenant;
  }

  private static final String DEFAULT_TENANT = "default";

  /** An event that has not been appended yet. */
  public static Event of(String type, String handoffId, String conversationId, String queue, String agentId,
      JsonObject data, Instant at) {
    return new Event(0, type, handoffId, conversationId, queue, agentId, data, at, DEFAULT_TENANT);
  }

  /** The event as written for {@code newTenant}: stores stamp the tenant of the rows it describes. */
  public Event inTenant(String newTenant) {
    return new Event(id, type, handoffId, conversationId, queue, agentId, data, at, newTenant);
  }

  public Event withId(long newId) {
    return new Event(newId, type, handoffId, conversationId, queue, agentId, data, at, tenant);
  }

  /** The event as streams and the bus carry it: one flat object, the type first. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("type", type)
        .put("event_id", id)
        .put("handoff_id", handoffId)
        .put("conversation_id", conversationId)
        .put("queue", queue)
        .put("agent_id", agentId)
        .put("at", at.toString())
        .put("data", data)
        .put("tenant", tenant);
  }

  public static Event fromJson(JsonObject json) {
    JsonObject data = json.getJsonObject("data");
    return new Event(
        json.getLong("event_id"),
        json.getString("type"),
        json.getString("handoff_id"),
        json.getString("conversation_id"),
        json.getString("queue"),
        json.getString("agent_id"),
        data == null ? new JsonObject() : data,
        Instant.parse(json.getString("at")),
        json.getString("tenant"));
  }
}
