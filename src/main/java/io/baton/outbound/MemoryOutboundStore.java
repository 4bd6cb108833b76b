package io.baton.outbound;

import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.handoff.MemoryHandoffStore;
import io.baton.operator.ConversationMessage;
import io.baton.operator.OperatorStore;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends in memory. It works under the handoff store's lock, the one the memory operator store uses,
 * so that a send's end and its message's status (and their events) change together.
 */
public final class MemoryOutboundStore implements OutboundStore {

  /** The lock's view that breaker events are written through: they belong to no tenant's data. */
  private static final String SYSTEM_TENANT = "default";

  private final MemoryHandoffStore lock;
  private final OperatorStore operator;
  private final int capacity;
  private final Map<String, OutboundDelivery> deliveries = new HashMap<>();

  /** {@code operator} must be the memory store working under {@code lock}: its futures are complete at once. */
  public MemoryOutboundStore(MemoryHandoffStore lock, OperatorStore operator, int capacity) {
    this.lock = lock;
    this.operator = operator;
    this.capacity = capacity;
  }

  private static String key(String tenant, String conversationId, String messageId) {
    return tenant + '\u0000' + conversationId + '\u0000' + messageId;
  }

  @Override
  public Future<Boolean> enqueue(OutboundDelivery delivery, Instant now) {
    return lock.locked(delivery.tenant(), tables -> {
      String key = key(delivery.tenant(), delivery.conversationId(), delivery.messageId());
      if (deliveries.containsKey(key)) {
        return Future.succeededFuture(false);
      }
      if (deliveries.size() >= capacity) {
        // Failed sends are kept for reading only; their messages say failed all the same.
        deliveries.values().removeIf(d -> d.status().equals(OutboundDelivery.FAILED));
      }
      if (deliveries.size() >= capacity) {
        // Bounded: with the channels down this long, refusing new messages beats running out of memory.
        return Future.failedFuture(new BatonException(BatonError.UNAVAILABLE,
            "Too many messages are waiting for their channel; try again later"));
      }
      deliveries.put(key, delivery);
      return Future.succeededFuture(true);
    });
  }

  @Override
  public Future<Optional<OutboundDelivery>> claim(String tenant, String conversationId, String messageId, Instant dueAt,
      Instant leaseUntil) {
    return lock.locked(tenant, tables -> {
      String key = key(tenant, conversationId, messageId);
      OutboundDelivery current = deliveries.get(key);
      if (current == null || !current.status().equals(OutboundDelivery.RETRYING)
          || !current.nextAttemptAt().equals(dueAt)) {
        return Future.succeededFuture(Optional.<OutboundDelivery>empty());
      }
      OutboundDelivery leased = current.withLease(leaseUntil);
      deliveries.put(key, leased);
      return Future.succeededFuture(Optional.of(leased));
    });
  }

  @Override
  public Future<List<OutboundDelivery>> claimDue(Instant now, Instant leaseUntil, int limit) {
    return lock.lockedAll(tables -> {
      List<OutboundDelivery> due = deliveries.values().stream()
          .filter(d -> d.status().equals(OutboundDelivery.RETRYING) && !d.nextAttemptAt().isAfter(now))
          .sorted(Comparator.comparing(OutboundDelivery::nextAttemptAt))
          .limit(limit)
          .map(d -> d.withLease(leaseUntil))
          .toList();
      due.forEach(d -> deliveries.put(key(d.tenant(), d.conversationId(), d.messageId()), d));
      return Future.succeededFuture(due);
    });
  }

  @Override
  public Future<Optional<ConversationMessage>> sent(String tenant, String conversationId, String messageId,
      String providerMessageId, Instant now) {
    return lock.locked(tenant, tables -> {
      deliveries.remove(key(tenant, conversationId, messageId));
      return operator.recordSent(tenant, conversationId, messageId, providerMessageId, now);
    });
  }

  @Override
  public Future<Void> retryLater(String tenant, String conversationId, String messageId, int attempts,
      Instant nextAttemptAt, String error, Instant now) {
    return lock.locked(tenant, tables -> {
      deliveries.computeIfPresent(key(tenant, conversationId, messageId), (k, d) -> d.retrying(attempts, nextAttemptAt, error));
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Void> giveUp(String tenant, String conversationId, String messageId, int attempts, String error,
      Instant now) {
    return lock.locked(tenant, tables -> {
      String key = key(tenant, conversationId, messageId);
      OutboundDelivery current = deliveries.get(key);
      if (current == null) {
        return Future.succeededFuture();
      }
      deliveries.put(key, current.failed(attempts, error));
      Optional<ConversationMessage> failed = operator.updateDeliveryStatus(tenant, List.of(conversationId), messageId,
          "failed", now).result();
      tables.append(OutboundEvents.deliveryFailed(current, failed.map(ConversationMessage::agentId).orElse(null),
          attempts, error, now));
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Void> drop(String tenant, String conversationId, String messageId) {
    return lock.locked(tenant, tables -> {
      deliveries.remove(key(tenant, conversationId, messageId));
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Optional<OutboundDelivery>> get(String tenant, String conversationId, String messageId) {
    return lock.locked(tenant, tables -> Future.succeededFuture(
        Optional.ofNullable(deliveries.get(key(tenant, conversationId, messageId)))));
  }

  @Override
  public Future<Void> recordBreakerState(String channel, String state, Instant at) {
    return lock.locked(SYSTEM_TENANT, tables -> {
      tables.append(OutboundEvents.breakerChanged(channel, state, at));
      return Future.succeededFuture();
    });
  }
}
