package io.baton.helpdesk;

import io.vertx.core.Future;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where built-in tickets live. Both implementations (PostgreSQL, memory) pass one contract suite.
 * Every change appends its event to the event log atomically with the change. Every method acts
 * inside one tenant: another tenant's ticket is unknown, like one that does not exist.
 */
public interface TicketStore {

  /** Newest first; the id breaks ties so pages are stable. */
  Comparator<Ticket> LISTING_ORDER = Comparator.comparing(Ticket::createdAt, Comparator.reverseOrder())
      .thenComparing(Ticket::id, Comparator.reverseOrder());

  /**
   * Stores {@code draft} with a {@code ticket.created} event. A draft for a handoff that already has
   * a ticket answers that ticket and writes nothing (also when opens race).
   */
  Future<Ticket> create(String tenant, Ticket draft);

  Future<Optional<Ticket>> get(String tenant, String ticketId);

  Future<Optional<Ticket>> byHandoff(String tenant, String handoffId);

  /**
   * Applies {@code change} to the current ticket under a lock and stores the result with an event
   * of {@code eventType}. {@code change} is pure and fast; a failure it throws is the answer, and
   * nothing is written. An unknown id fails NOT_FOUND.
   */
  Future<Ticket> modify(String tenant, String ticketId, String eventType, UnaryOperator<Ticket> change);

  Future<TicketPage> list(String tenant, TicketQuery query);

  /** A customer's tickets, newest first. */
  Future<List<Ticket>> byCustomer(String tenant, String customerId, int limit);
}
