package io.baton.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which events a stream wants. Every field that is set must match exactly; an empty {@code types}
 * set means every type. Streams opened over HTTP always set {@code tenant} (the caller's), so a
 * stream never carries another tenant's events; only internal readers leave it null.
 */
public record EventFilter(String tenant, String queue, String agentId, String conversationId, String handoffId,
    Set<String> types) {

  public static final EventFilter ALL = new EventFilter(null, null, null, null, null, Set.of());

  public EventFilter {
    types = types == null ? Set.of() : Set.copyOf(types);
  }

  /** {@code types} as given in a query string: comma-separated, blanks ignored. */
  public static Set<String> parseTypes(String commaSeparated) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(commaSeparated.split(","))
        .map(String::trim)
        .filter(type -> !type.isEmpty())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  public boolean matches(Event event) {
    return (tenant == null || tenant.equals(event.tenant()))
        && (queue == null || queue.equals(event.queue()))
        && (agentId == null || agentId.equals(event.agentId()))
        && (conversationId == null || conversationId.equals(event.conversationId()))
        && (handoffId == null || handoffId.equals(event.handoffId()))
        && (types.isEmpty() || types.contains(event.type()));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    putIfSet(json, "tenant", tenant);
    putIfSet(json, "queue", queue);
    putIfSet(json, "agent_id", agentId);
    putIfSet(json, "conversation_id", conversationId);
    putIfSet(json, "handoff_id", handoffId);
    if (!types.isEmpty()) {
      json.put("types", new JsonArray(types.stream().sorted().toList()));
    }
    return json;
  }

  public static EventFilter fromJson(JsonObject json) {
    if (json == null) {
      return ALL;
    }
    JsonArray types = json.getJsonArray("types", new JsonArray());
    return new EventFilter(json.getString("tenant"), json.getString("queue"), json.getString("agent_id"), json.getString("conversation_id"),
        json.getString("handoff_id"),
        types.stream().map(Objects::toString).collect(Collectors.toSet()));
  }

  private static void putIfSet(JsonObject json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
