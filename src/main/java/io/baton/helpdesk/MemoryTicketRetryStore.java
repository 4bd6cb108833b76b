package io.baton.helpdesk;

import io.baton.handoff.Handoff;
import io.baton.handoff.MemoryHandoffStore;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ticket retries in memory. It works under the handoff store's lock, so that giving up and its
 * event are atomic with the log, and orphans are found in the same tables.
 */
public final class MemoryTicketRetryStore implements TicketRetryStore {

  private final MemoryHandoffStore handoffs;
  private final Map<String, TicketRetry> retries = new HashMap<>();

  public MemoryTicketRetryStore(MemoryHandoffStore handoffs) {
    this.handoffs = handoffs;
  }

  @Override
  public Future<Void> retryLater(String handoffId, int attempts, Instant nextAttemptAt, String error, Instant now) {
    return handoffs.lockedAll(tables -> {
      retries.put(handoffId, new TicketRetry(handoffId, TicketRetry.RETRYING, attempts, nextAttemptAt, error));
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Boolean> claimNew(String handoffId, Instant leaseUntil, Instant now) {
    return handoffs.lockedAll(tables -> {
      if (retries.containsKey(handoffId)) {
        return Future.succeededFuture(false);
      }
      retries.put(handoffId, new TicketRetry(handoffId, TicketRetry.RETRYING, 0, leaseUntil,
          "the first attempt is running"));
      return Future.succeededFuture(true);
    });
  }

  @Override
  public Future<List<TicketRetry>> claimDue(Instant now, Instant leaseUntil, int limit) {
    return handoffs.lockedAll(tables -> {
      List<TicketRetry> due = retries.values().stream()
          .filter(r -> r.status().equals(TicketRetry.RETRYING) && !r.nextAttemptAt().isAfter(now))
          .sorted(Comparator.comparing(TicketRetry::nextAttemptAt))
          .limit(limit)
          .map(r -> new TicketRetry(r.handoffId(), r.status(), r.attempts(), leaseUntil, r.lastError()))
          .toList();
      due.forEach(r -> retries.put(r.handoffId(), r));
      return Future.succeededFuture(due);
    });
  }

  @Override
  public Future<Void> done(String handoffId) {
    return handoffs.lockedAll(tables -> {
      retries.remove(handoffId);
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Void> giveUp(String handoffId, int attempts, String error, Instant now) {
    return handoffs.lockedAll(tables -> {
      TicketRetry current = retries.get(handoffId);
      if (current != null) {
        retries.put(handoffId, new TicketRetry(handoffId, TicketRetry.FAILED, attempts, current.nextAttemptAt(), error));
        Optional<Handoff> handoff = tables.handoff(handoffId);
        tables.append(TicketRetryEvents.failed(handoffId, handoff.map(Handoff::conversationId).orElse(null),
            handoff.map(Handoff::queue).orElse(null), attempts, error, now));
      }
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Void> recordBreakerState(String helpdesk, String state, Instant at) {
    return handoffs.lockedAll(tables -> {
      tables.append(TicketRetryEvents.breakerChanged(helpdesk, state, at));
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Optional<TicketRetry>> get(String handoffId) {
    return handoffs.lockedAll(tables -> Future.succeededFuture(Optional.ofNullable(retries.get(handoffId))));
  }

  @Override
  public Future<Integer> adoptOrphans(Instant createdBefore, Instant now, int limit) {
    return handoffs.lockedAll(tables -> {
      List<Handoff> orphans = tables.handoffs()
          .filter(h -> h.ticketId() == null && h.status().isActive() && h.createdAt().isBefore(createdBefore)
              && !retries.containsKey(h.id()))
          .sorted(Comparator.comparing(Handoff::createdAt))
          .limit(limit)
          .toList();
      orphans.forEach(h -> retries.put(h.id(), new TicketRetry(h.id(), TicketRetry.RETRYING, 0, now,
          "no ticket was asked for (the instance stopped)")));
      return Future.succeededFuture(orphans.size());
    });
  }
}
