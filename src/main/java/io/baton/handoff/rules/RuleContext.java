package io.baton.handoff.rules;

import io.baton.handoff.Priority;
import io.baton.handoff.triggers.TriggerType;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * What a condition can look at.
 *
 * @param metadata the caller's metadata, never null (empty when the caller sent none)
 * @param channel the channel the conversation runs on, or null when unknown
 * @param priority the priority decided so far, or null when there is none yet
 * @param triggers the triggers that fired, empty when none did
 */
public record RuleContext(Transcript transcript, JsonObject metadata, String channel,
    Priority priority, Set<TriggerType> triggers) {

  public RuleContext {
    metadata = metadata == null ? new JsonObject() : metadata;
    triggers = triggers == null ? Set.of() : triggers;
    if (channel == null && metadata.getValue("channel") instanceof String fromMetadata) {
      // Chat platforms often send the channel only inside metadata.
      channel = fromMetadata;
    }
  }
}
