package io.baton.helpdesk.adapters;

import io.baton.handoff.TicketOpener.TicketRef;
import io.baton.helpdesk.TicketRequest;
import io.vertx.core.Future;

/** One helpdesk: opens a handoff's ticket, or finds the one an earlier attempt opened. */
public interface HelpdeskAdapter {

  /** The name in logs, events and readiness. */
  String name();

  Future<TicketRef> open(TicketRequest request);
}
