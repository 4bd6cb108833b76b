package io.baton.helpdesk;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable queue of ticket retries. Both implementations (PostgreSQL, memory) pass one contract
 * suite. Claims are exclusive across instances: a claimed retry is not due again before its lease ends.
 */
public interface TicketRetryStore {

  /**
   * Takes the right to call the helpdesk for a handoff that has no retry yet: a row leased until
   * {@code leaseUntil} (so if this instance stops, the retry is due then). False when the handoff
   * already has one: someone else holds the right.
   */
  Future<Boolean> claimNew(String handoffId, Instant leaseUntil, Instant now);

  /** Records a failed attempt: the retry is due at {@code nextAttemptAt}. Inserts or updates. */
  Future<Void> retryLater(String handoffId, int attempts, Instant nextAttemptAt, String error, Instant now);

  /**
   * Up to {@code limit} retries due at {@code now}, oldest due first, each leased until
   * {@code leaseUntil} (not due again before, whoever asks).
   */
  Future<List<TicketRetry>> claimDue(Instant now, Instant leaseUntil, int limit);

  /** The ticket is made: the retry is gone. */
  Future<Void> done(String handoffId);

  /** No attempts left: status failed, with a {@code ticket.failed} event, atomically. */
  Future<Void> giveUp(String handoffId, int attempts, String error, Instant now);

  Future<Optional<TicketRetry>> get(String handoffId);

  /** Writes {@code helpdesk.breaker_changed} to the event log (open, half_open, closed). */
  Future<Void> recordBreakerState(String helpdesk, String state, Instant at);

  /**
   * Active handoffs created before {@code createdBefore} with neither a ticket nor a retry (an
   * instance stopped between the create and its ticket): each gets a retry due now.
   */
  Future<Integer> adoptOrphans(Instant createdBefore, Instant now, int limit);
}
