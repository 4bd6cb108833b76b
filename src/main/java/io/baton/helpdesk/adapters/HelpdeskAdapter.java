package io.baton.helpdesk.adapters;

import io.baton.handoff.TicketOpener.TicketRef;
import io.baton.helpdesk.TicketRequest;
import io.vertx.core.Future;

/** One helpdesk: opens a handoff's ticket, or finds the one an earlier attempt opened. */
public interface HelpdeskAdapter {

  /** The name in logs, events and readiness. */
  String name();

  Future<TicketRef> open(TicketRequest request);

  /**
   * Whether two calls for one handoff at once could make two tickets (a look-up and a create are
   * not atomic at the helpdesk): then one caller at a time holds the right to call, durably.
   */
  default boolean needsExclusiveCalls() {
    return true;
  }
}
