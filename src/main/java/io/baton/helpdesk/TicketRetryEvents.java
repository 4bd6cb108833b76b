package io.baton.helpdesk;

import io.baton.events.Event;
import io.baton.events.EventTypes;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The event of a ticket given up, shared by both retry stores. */
final class TicketRetryEvents {

  private TicketRetryEvents() {
  }

  static Event breakerChanged(String helpdesk, String state, Instant at) {
    return Event.of(EventTypes.HELPDESK_BREAKER_CHANGED, null, null, null, null,
        new JsonObject().put("helpdesk", helpdesk).put("state", state), at);
  }

  static Event failed(String handoffId, String conversationId, String queue, int attempts, String error, Instant at) {
    return Event.of(EventTypes.TICKET_FAILED, handoffId, conversationId, queue, null,
        new JsonObject().put("handoff_id", handoffId).put("ticket_status", TicketRetry.FAILED)
            .put("attempts", attempts).put("error", error), at);
  }
}
