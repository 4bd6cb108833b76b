package io.baton.storage;

import io.baton.events.EventFeed;
import io.baton.events.MemoryEventFeed;
import io.baton.events.MemoryEventLog;
import io.baton.handoff.HandoffStore;
import io.baton.handoff.MemoryHandoffStore;
import io.baton.helpdesk.MemoryTicketRetryStore;
import io.baton.helpdesk.MemoryTicketStore;
import io.baton.helpdesk.TicketRetryStore;
import io.baton.helpdesk.TicketStore;
import io.baton.idempotency.IdempotencyStore;
import io.baton.idempotency.MemoryIdempotencyStore;
import io.baton.operator.MemoryOperatorStore;
import io.baton.operator.OperatorStore;
import io.baton.outbound.MemoryOutboundStore;
import io.baton.outbound.OutboundStore;
import io.vertx.core.Future;
import java.time.Instant;

/** The embedded default: everything in this process's memory, bounded, gone at exit. */
public final class MemoryStorage implements Storage {

  /** Bounds that keep a long-running embedded instance from growing without limit. */
  static final int EVENT_CAPACITY = 100_000;
  static final int IDEMPOTENCY_CAPACITY = 100_000;
  static final int OUTBOUND_CAPACITY = 100_000;

  private final MemoryEventLog events = new MemoryEventLog(EVENT_CAPACITY);
  private final MemoryTicketStore tickets = new MemoryTicketStore(events);
  private final MemoryHandoffStore handoffs = new MemoryHandoffStore(events, tickets::createInline);
  private final MemoryIdempotencyStore idempotency = new MemoryIdempotencyStore(IDEMPOTENCY_CAPACITY);
  private final MemoryOperatorStore operator = new MemoryOperatorStore(handoffs);
  private final MemoryTicketRetryStore ticketRetries = new MemoryTicketRetryStore(handoffs);
  private final MemoryOutboundStore outbound = new MemoryOutboundStore(handoffs, operator, OUTBOUND_CAPACITY);
  private final MemoryEventFeed eventFeed = new MemoryEventFeed(events);

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public HandoffStore handoffs() {
    return handoffs;
  }

  @Override
  public IdempotencyStore idempotency() {
    return idempotency;
  }

  @Override
  public OperatorStore operator() {
    return operator;
  }

  @Override
  public TicketStore tickets() {
    return tickets;
  }

  @Override
  public TicketRetryStore ticketRetries() {
    return ticketRetries;
  }

  @Override
  public OutboundStore outbound() {
    return outbound;
  }

  @Override
  public EventFeed eventFeed() {
    return eventFeed;
  }

  public MemoryEventLog events() {
    return events;
  }

  @Override
  public Future<Void> purgeExpired(Instant now) {
    // The memory store drops expired keys when it needs room.
    return operator.purgeEarlyStatuses(now.minus(OperatorStore.EARLY_STATUS_KEPT_FOR)).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
