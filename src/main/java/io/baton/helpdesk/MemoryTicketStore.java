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
  /** Each ticket's tenant, by ticket id (ids are unique across tenants). */
  private final Map<String, String> tenants = new HashMap<>();
  private final MemoryEventLog events;

  public MemoryTicketStore(MemoryEventLog events) {
    this.events = events;
  }

  @Override
  public Future<Ticket> create(String tenant, Ticket draft) {
    synchronized (lock) {
      if (draft.handoffId() != null && byHandoff.containsKey(draft.handoffId())) {
        return Future.succeededFuture(inTenant(tenant, byHandoff.get(draft.handoffId())));
      }
      tickets.put(draft.id(), draft);
      tenants.put(draft.id(), tenant);
      if (draft.handoffId() != null) {
        byHandoff.put(draft.handoffId(), draft.id());
      }
      events.append(TicketEvents.of(EventTypes.TICKET_CREATED, draft).inTenant(tenant));
      return Future.succeededFuture(draft);
    }
  }

  private Ticket inTenant(String tenant, String ticketId) {
    return ticketId != null && tenant.equals(tenants.get(ticketId)) ? tickets.get(ticketId) : null;
  }

  /** A handoff's built-in ticket, written with the handoff (under the handoff store's lock). */
  public void createInline(InlineTicket ticket) {
    create(ticket.row().getString("tenant", "default"), Ticket.fromRow(ticket.row()));
  }

  @Override
  public Future<Optional<Ticket>> get(String tenant, String ticketId) {
    synchronized (lock) {
      return Future.succeededFuture(Optional.ofNullable(inTenant(tenant, ticketId)));
    }
  }

  @Override
  public Future<Optional<Ticket>> byHandoff(String tenant, String handoffId) {
    synchronized (lock) {
      return Future.succeededFuture(Optional.ofNullable(inTenant(tenant, byHandoff.get(handoffId))));
    }
  }

  @Override
  public Future<Ticket> modify(String tenant, String ticketId, String eventType, UnaryOperator<Ticket> change) {
    synchronized (lock) {
      Ticket current = inTenant(tenant, ticketId);
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
      events.append(TicketEvents.of(eventType, changed).inTenant(tenant));
      return Future.succeededFuture(changed);
    }
  }

  @Override
  public Future<TicketPage> list(String tenant, TicketQuery query) {
    List<Ticket> matching;
    synchronized (lock) {
      matching = tickets.values().stream().filter(t -> tenant.equals(tenants.get(t.id()))).filter(query::matches)
          .toList();
    }
    List<Ticket> page = matching.stream().sorted(LISTING_ORDER).skip(query.offset()).limit(query.pageSize()).toList();
    return Future.succeededFuture(new TicketPage(page, matching.size(), query.page(), query.pageSize()));
  }

  @Override
  public Future<List<Ticket>> byCustomer(String tenant, String customerId, int limit) {
    synchronized (lock) {
      return Future.succeededFuture(tickets.values().stream()
          .filter(t -> t.customerId().equals(customerId) && tenant.equals(tenants.get(t.id())))
          .sorted(LISTING_ORDER)
          .limit(limit)
          .toList());
    }
  }
}
