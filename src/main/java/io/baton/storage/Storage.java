package io.baton.storage;

import io.baton.events.EventFeed;
import io.baton.handoff.HandoffStore;
import io.baton.helpdesk.TicketRetryStore;
import io.baton.helpdesk.TicketStore;
import io.baton.idempotency.IdempotencyStore;
import io.baton.operator.OperatorStore;
import io.baton.outbound.OutboundStore;
import io.vertx.core.Future;
import java.time.Instant;

/** The stores of one storage mode, shared by every verticle instance of the process. */
public interface Storage {

  /** What readiness reports as the store's name: "postgres" or "memory". */
  String name();

  HandoffStore handoffs();

  IdempotencyStore idempotency();

  OperatorStore operator();

  /** The built-in helpdesk's tickets. */
  TicketStore tickets();

  /** Handoffs whose helpdesk ticket is still to be made. */
  TicketRetryStore ticketRetries();

  /** Agent messages on their way to the customer's channel. */
  OutboundStore outbound();

  /** The event log as the relay and stream replays read it. */
  EventFeed eventFeed();

  /**
   * Housekeeping that keeps stores bounded: expired idempotency keys, and delivery statuses kept
   * longer than {@link OperatorStore#EARLY_STATUS_KEPT_FOR} for messages never found.
   */
  Future<Void> purgeExpired(Instant now);

  Future<Void> close();
}
