package io.baton.handoff;

import io.vertx.core.Future;

/** Opens the helpdesk ticket of a new handoff (the helpdesk capability, over the bus). */
public interface TicketOpener {

  record TicketRef(String ticketId, String ticketUrl) {
  }

  /**
   * The handoff's ticket: made now, or found when an earlier attempt had made it. {@code lookupFirst}:
   * an earlier attempt may have succeeded unseen, look for its ticket before making one.
   */
  Future<TicketRef> open(Handoff handoff, boolean lookupFirst);
}
