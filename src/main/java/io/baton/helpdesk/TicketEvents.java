package io.baton.helpdesk;

import io.baton.bus.BatonException;
import io.baton.events.Event;
import io.vertx.core.json.JsonObject;

/** The events and failures of ticket changes, shared by both stores so that they say the same thing. */
final class TicketEvents {

  private TicketEvents() {
  }

  static Event of(String type, Ticket t) {
    return Event.of(type, t.handoffId(), null, null, t.assignedAgentId(),
        new JsonObject().put("ticket", t.toJson()), t.updatedAt());
  }

  /** The seed API's words, exactly. */
  static BatonException notFound() {
    return BatonException.notFound("Ticket not found");
  }
}
