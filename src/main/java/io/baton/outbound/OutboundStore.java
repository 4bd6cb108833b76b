package io.baton.outbound;

import io.baton.operator.ConversationMessage;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable queue of sends to the channels. Both implementations (PostgreSQL, memory) pass one
 * contract suite. Claims are exclusive across instances: a claimed send is not due again before its
 * lease ends, whoever asks. A send is keyed by its message (tenant, conversation id, message id).
 */
public interface OutboundStore {

  /** Writes a send, due at its {@code nextAttemptAt}; false (and nothing written) when the message has one. */
  Future<Boolean> enqueue(OutboundDelivery delivery, Instant now);

  /**
   * Claims one send at once, if it is still as {@link #enqueue} left it (due at {@code dueAt}, no
   * claim since), leasing it until {@code leaseUntil}. Empty when someone else claimed it first.
   */
  Future<Optional<OutboundDelivery>> claim(String tenant, String conversationId, String messageId, Instant dueAt, Instant leaseUntil);

  /** Up to {@code limit} sends due at {@code now}, oldest due first, each leased until {@code leaseUntil}. */
  Future<List<OutboundDelivery>> claimDue(Instant now, Instant leaseUntil, int limit);

  /**
   * The channel took the message: the send is gone, and the message records the provider's id and
   * moves to {@code sent}, atomically. Answers the message as it is now (empty if it does not exist).
   */
  Future<Optional<ConversationMessage>> sent(String tenant, String conversationId, String messageId, String providerMessageId,
      Instant now);

  /** An attempt failed: due again at {@code nextAttemptAt}. */
  Future<Void> retryLater(String tenant, String conversationId, String messageId, int attempts, Instant nextAttemptAt, String error,
      Instant now);

  /**
   * No attempts left, or the channel refused the request: the send is {@code failed} and the message's
   * delivery status too (with its event), atomically.
   */
  Future<Void> giveUp(String tenant, String conversationId, String messageId, int attempts, String error, Instant now);

  /** Nothing to send (the message was never stored, or went out already): the send is gone. */
  Future<Void> drop(String tenant, String conversationId, String messageId);

  Future<Optional<OutboundDelivery>> get(String tenant, String conversationId, String messageId);

  /** Writes {@code channel.breaker_changed} to the event log (open, half_open, closed). */
  Future<Void> recordBreakerState(String channel, String state, Instant at);
}
