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
    Instant at) {

  /** An event that has not been appended yet. */
  public static Event of(String type, String handoffId, String conversationId, String queue, String agentId,
      JsonObject data, Instant at) {
    return new Event(0, type, handoffId, conversationId, queue, agentId, data, at);
  }

  public Event withId(long newId) {
    return new Event(newId, type, handoffId, conversationId, queue, agentId, data, at);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("event_id", id)
        .put("type", type)
        .put("handoff_id", handoffId)
        .put("conversation_id", conversationId)
        .put("queue", queue)
        .put("agent_id", agentId)
        .put("at", at.toString())
        .put("data", data);
  }
}
