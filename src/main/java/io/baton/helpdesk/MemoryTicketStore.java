package io.baton.helpdesk;

import io.baton.events.EventTypes;
import io.baton.events.MemoryEventLog;
import io.baton.handoff.InlineTicket;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The embedded ticket store: the same semantics as PostgreSQL within one process. One lock guards
 * the maps and the appends to the event log, so a change and its event are atomic.
 */
public final class MemoryTicketStore implements TicketStore {

  private final Object lock = new Object();
  private final Map<String, Ticket> tickets = new HashMap<>();
  private final Map<String, String> byHandoff = new HashMap<>();
  private final MemoryEventLog events;

  public MemoryTicketStore(MemoryEventLog events) {
    this.events = events;
  }

  @Override
  public Future<Ticket> create(Ticket draft) {
    synchronized (lock) {
      if (draft.handoffId() != null && byHandoff.containsKey(draft.handoffId())) {
        return Future.succeededFuture(tickets.get(byHandoff.get(draft.handoffId())));
      }
      tickets.put(draft.id(), draft);
      if (draft.handoffId() != null) {
        byHandoff.put(draft.handoffId(), draft.id());
      }
      events.append(TicketEvents.of(EventTypes.TICKET_CREATED, draft));
      return Future.succeededFuture(draft);
    }
  }

  /** A handoff's built-in ticket, written with the handoff (under the handoff store's lock). */
  public void createInline(InlineTicket ticket) {
    create(Ticket.fromRow(ticket.row()));
  }

  @Override
  public Future<Optional<Ticket>> get(String ticketId) {
    synchronized (lock) {
      return Future.succeededFuture(Optional.ofNullable(tickets.get(ticketId)));
    }
  }

  @Override
  public Future<Optional<Ticket>> byHandoff(String handoffId) {
    synchronized (lock) {
      return Future.succeededFuture(Optional.ofNullable(byHandoff.get(handoffId)).map(tickets::get));
    }
  }

  @Override
  public Future<Ticket> modify(String ticketId, String eventType, UnaryOperator<Ticket> change) {
    synchronized (lock) {
      Ticket current = tickets.get(ticketId);
      if (current == null) {
        return Future.failedFuture(TicketEvents.notFound());
      }
      Ticket changed;
      try {
        changed = change.apply(current);
      } catch (RuntimeException refused) {
        return Future.failedFuture(refused);
      }
      tickets.put(ticketId, changed);
      events.append(TicketEvents.of(eventType, changed));
      return Future.succeededFuture(changed);
    }
  }

  @Override
  public Future<TicketPage> list(TicketQuery query) {
    List<Ticket> matching;
    synchronized (lock) {
      matching = tickets.values().stream().filter(query::matches).toList();
    }
    List<Ticket> page = matching.stream().sorted(LISTING_ORDER).skip(query.offset()).limit(query.pageSize()).toList();
    return Future.succeededFuture(new TicketPage(page, matching.size(), query.page(), query.pageSize()));
  }

  @Override
  public Future<List<Ticket>> byCustomer(String customerId, int limit) {
    synchronized (lock) {
      return Future.succeededFuture(tickets.values().stream()
          .filter(t -> t.customerId().equals(customerId))
          .sorted(LISTING_ORDER)
          .limit(limit)
          .toList());
    }
  }
}
