package io.baton.handoff;

import io.vertx.core.Future;
import java.util.Optional;

/** Opens the helpdesk ticket of a new handoff (the helpdesk capability, over the bus). */
public interface TicketOpener {

  record TicketRef(String ticketId, String ticketUrl) {
  }

  /**
   * The handoff's ticket: made now, or found when an earlier attempt had made it. {@code lookupFirst}:
   * an earlier attempt may have succeeded unseen, look for its ticket before making one.
   */
  Future<TicketRef> open(String tenant, Handoff handoff, boolean lookupFirst);

  /**
   * The ticket to write with a new handoff, in its create transaction, when the helpdesk is Baton's
   * own store; empty when the ticket is opened after the create, through {@link #open}.
   */
  default Optional<InlineTicket> inline(Handoff draft) {
    return Optional.empty();
  }
}
