package io.baton.operator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** A human who takes handoffs from {@code queues}, at most {@code maxConcurrent} at a time. */
public record Agent(String agentId, String name, List<String> queues, int maxConcurrent, String status,
    Instant updatedAt) {

  public static final List<String> STATUSES = List.of("online", "away", "offline");

  /** The client's view, with the number of handoffs the agent holds now. */
  public JsonObject toJson(long currentLoad) {
    return new JsonObject()
        .put("agent_id", agentId)
        .put("name", name)
        .put("queues", new JsonArray(queues))
        .put("max_concurrent", maxConcurrent)
        .put("status", status)
        .put("current_load", currentLoad)
        .put("available", "online".equals(status) && currentLoad < maxConcurrent)
        .put("updated_at", updatedAt.toString());
  }

  /** An agent and their current load. */
  public record WithLoad(Agent agent, long currentLoad) {
    public JsonObject toJson() {
      return agent.toJson(currentLoad);
    }
  }
}
