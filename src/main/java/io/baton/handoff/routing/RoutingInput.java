package io.baton.handoff.routing;

import io.baton.handoff.ChatMessage;
import io.baton.handoff.Priority;
import io.baton.handoff.triggers.TriggerType;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What routing looks at. The router reads {@code metadata} and never changes it.
 *
 * @param transcript the conversation so far; null is read as empty
 * @param metadata the caller's metadata; null is read as empty
 * @param priority the handoff's priority, or null when none is decided yet
 *     ({@code priority_at_least} then does not hold)
 * @param trigger why the handoff happens, or null
 * @param channel the conversation's channel, or null ({@code metadata.channel} is used then)
 */
public record RoutingInput(List<ChatMessage> transcript, JsonObject metadata, Priority priority,
    TriggerType trigger, String channel) {

  public RoutingInput {
    transcript = transcript == null ? List.of() : transcript;
    metadata = metadata == null ? new JsonObject() : metadata;
  }
}
