package io.baton.outbound;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One message on its way to the customer's channel: who gets it ({@code recipient}: the phone, PSID
 * or X user id) from which of our accounts ({@code account}: phone_number_id, page id, for_user_id),
 * and what ({@code payload}: text, media, messaging_type, tag). {@code retrying} while it is due at
 * {@code nextAttemptAt} (or leased until then by the instance sending it); {@code failed} for good.
 */
public record OutboundDelivery(
    String conversationId,
    String messageId,
    String channel,
    String account,
    String recipient,
    JsonObject payload,
    String status,
    int attempts,
    Instant nextAttemptAt,
    String lastError,
    String tenant) {

  /** The tenant of the message's conversation; absent means the default tenant. */
  public OutboundDelivery {
    tenant = tenant == null ? "default" : tenant;
  }

  /** A send of the default tenant. */
  public OutboundDelivery(String conversationId, String messageId, String channel, String account, String recipient,
      JsonObject payload, String status, int attempts, Instant nextAttemptAt, String lastError) {
    this(conversationId, messageId, channel, account, recipient, payload, status, attempts, nextAttemptAt, lastError,
        null);
  }

  public static final String RETRYING = "retrying";
  public static final String FAILED = "failed";

  public OutboundDelivery withLease(Instant until) {
    return new OutboundDelivery(conversationId, messageId, channel, account, recipient, payload, status, attempts,
        until, lastError, tenant);
  }

  public OutboundDelivery retrying(int attempts, Instant next, String error) {
    return new OutboundDelivery(conversationId, messageId, channel, account, recipient, payload, RETRYING, attempts,
        next, error, tenant);
  }

  public OutboundDelivery failed(int attempts, String error) {
    return new OutboundDelivery(conversationId, messageId, channel, account, recipient, payload, FAILED, attempts,
        nextAttemptAt, error, tenant);
  }
}
