package io.baton.operator;

import io.baton.handoff.Handoff;
import io.baton.handoff.Owner;
import io.vertx.core.json.JsonObject;

/** A conversation with its active handoff (pending or assigned), if it has one. */
public record ConversationView(Conversation conversation, Handoff activeHandoff) {

  public JsonObject toJson() {
    return conversation.toJson()
        .put("bot_active", conversation.owner() == Owner.BOT)
        .put("active_handoff", activeHandoff == null ? null : activeHandoff.toJson());
  }
}
