package io.baton.operator;

import io.baton.handoff.Owner;
import io.vertx.core.json.JsonObject;

/** Who owns a conversation now: the bot, the queue, an agent ({@code agentId}), or nobody (closed). */
public record Conversation(String conversationId, String userId, Owner owner, String agentId) {

  public Conversation withOwner(Owner newOwner, String newAgentId) {
    return new Conversation(conversationId, userId, newOwner, newAgentId);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("conversation_id", conversationId)
        .put("user_id", userId)
        .put("owner", owner.name())
        .put("agent_id", agentId);
  }
}
