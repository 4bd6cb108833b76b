package io.baton.handoff;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * Where handoffs live. Both implementations (PostgreSQL, memory) pass one contract suite.
 * Every change also appends its event to the event log, atomically with the change.
 *
 * <p>Every method acts inside one tenant: a conversation is named by (tenant, conversation id), and
 * another tenant's handoff is unknown (empty, or NOT_FOUND), exactly like one that does not exist.
 */
public interface HandoffStore {

  /** Highest priority first, then oldest first; the id breaks ties so pages are stable. */
  Comparator<Handoff> LISTING_ORDER = Comparator
      .comparing(Handoff::priority, Comparator.reverseOrder())
      .thenComparing(Handoff::createdAt)
      .thenComparing(Handoff::id);

  /** The outcome of a create: the new handoff, or the conversation's active one ({@code created} false). */
  record CreateOutcome(Handoff handoff, boolean created) {
  }

  /**
   * Creates {@code draft} and queues its conversation, unless the conversation already has an active
   * handoff, which is answered instead (also when creates race). Fails UNPROCESSABLE when the
   * conversation is closed.
   */
  default Future<CreateOutcome> createOrGetActive(String tenant, Handoff draft) {
    return createOrGetActive(tenant, draft, null);
  }

  /** The same, writing {@code ticket} (may be null) and its event with the handoff when it is created. */
  Future<CreateOutcome> createOrGetActive(String tenant, Handoff draft, InlineTicket ticket);

  Future<Optional<Handoff>> get(String tenant, String handoffId);

  Future<HandoffPage> list(String tenant, HandoffQuery query);

  /**
   * Cancels a pending handoff and hands its conversation back to the bot. Cancelling a cancelled
   * handoff answers it unchanged; any other status fails CONFLICT with the current handoff.
   */
  Future<Handoff> cancel(String tenant, String handoffId, Instant at);

  /**
   * Records the helpdesk ticket of a handoff, with a {@code handoff.ticket_linked} event. Setting the
   * ticket it already has answers it unchanged and writes nothing. Unknown id: NOT_FOUND.
   */
  Future<Handoff> setTicket(String tenant, String handoffId, String ticketId, String ticketUrl, Instant at);

  /**
   * The tenant a handoff belongs to, for background work that holds only a handoff id (ticket
   * retries). Never used to answer a caller, whose tenant is the one it authenticated with.
   */
  Future<Optional<String>> tenantOf(String handoffId);

  /** Answers when the store can serve requests. */
  Future<Void> ping();
}
