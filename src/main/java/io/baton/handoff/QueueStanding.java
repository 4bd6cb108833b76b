package io.baton.handoff;

import io.baton.bus.Addresses;
import io.baton.bus.BusHandlers;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pending handoff's place in its queue and estimated wait, asked of the operator capability. A
 * handoff is answered without them when they cannot be had in time: they are an estimate, the
 * handoff is the answer.
 */
public final class QueueStanding {

  private static final Logger LOG = LoggerFactory.getLogger(QueueStanding.class);

  private final EventBus bus;
  private final long timeoutMs;

  /** {@code timeoutMs}: well below the HTTP deadline. */
  public QueueStanding(EventBus bus, long timeoutMs) {
    this.bus = bus;
    this.timeoutMs = timeoutMs;
  }

  /** A copy of a pending handoff's JSON with {@code queue_position} and {@code estimated_wait_seconds}. */
  public Future<JsonObject> addTo(String tenant, JsonObject handoff) {
    if (!HandoffStatus.PENDING.wireName().equals(handoff.getString("status"))) {
      return Future.succeededFuture(handoff);
    }
    return bus.<JsonObject>request(Addresses.OPERATOR_STANDING,
            new JsonObject().put("handoff_id", handoff.getString("handoff_id")),
            BusHandlers.forTenant(new DeliveryOptions().setSendTimeout(timeoutMs), tenant))
        .map(reply -> handoff.copy().mergeIn(reply.body()))
        .otherwise(failure -> {
          LOG.warn("No queue position for handoff {}", handoff.getString("handoff_id"), failure);
          return handoff;
        });
  }
}
