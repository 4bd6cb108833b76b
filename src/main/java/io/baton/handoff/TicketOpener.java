package io.baton.handoff;

import io.vertx.core.Future;

/** Opens the helpdesk ticket of a new handoff (the helpdesk capability, over the bus). */
public interface TicketOpener {

  record TicketRef(String ticketId, String ticketUrl) {
  }

  /** The handoff's ticket: made now, or found when an earlier attempt had made it. */
  Future<TicketRef> open(Handoff handoff);
}
