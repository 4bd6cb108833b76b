package io.baton.handoff;

import io.baton.bus.BatonException;
import io.baton.events.Event;
import io.baton.events.EventTypes;
import io.vertx.core.json.JsonObject;

/** The events and failures of handoff changes, shared by both stores so that they say the same thing. */
final class HandoffEvents {

  private HandoffEvents() {
  }

  static Event created(Handoff h) {
    return Event.of(EventTypes.HANDOFF_CREATED, h.id(), h.conversationId(), h.queue(), h.assignedAgent(),
        new JsonObject().put("handoff", h.toJson()), h.createdAt());
  }

  static Event cancelled(Handoff h) {
    return Event.of(EventTypes.HANDOFF_CANCELLED, h.id(), h.conversationId(), h.queue(), h.assignedAgent(),
        new JsonObject().put("handoff", h.toJson()), h.updatedAt());
  }

  static Event ticketLinked(Handoff h) {
    return Event.of(EventTypes.HANDOFF_TICKET_LINKED, h.id(), h.conversationId(), h.queue(), h.assignedAgent(),
        new JsonObject().put("handoff", h.toJson()), h.updatedAt());
  }

  static BatonException notFound(String handoffId) {
    return BatonException.notFound("Handoff " + handoffId + " not found");
  }

  static BatonException notPending(Handoff current) {
    return BatonException.conflict(
        "Handoff " + current.id() + " is " + current.status().wireName()
            + "; only a pending handoff can be cancelled",
        new JsonObject().put("current_status", current.status().wireName()).put("handoff", current.toJson()));
  }

  static BatonException closedConversation(String conversationId) {
    return BatonException.unprocessable(
        "Conversation " + conversationId + " is closed; a closed conversation cannot be handed off");
  }
}
