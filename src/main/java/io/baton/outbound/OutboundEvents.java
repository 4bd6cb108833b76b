package io.baton.outbound;

import io.baton.events.Event;
import io.baton.events.EventTypes;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The events of the outbound stores, shared by both. */
final class OutboundEvents {

  private OutboundEvents() {
  }

  static Event breakerChanged(String channel, String state, Instant at) {
    return Event.of(EventTypes.CHANNEL_BREAKER_CHANGED, null, null, null, null,
        new JsonObject().put("channel", channel).put("state", state), at);
  }

  static Event deliveryFailed(OutboundDelivery delivery, String agentId, int attempts, String error, Instant at) {
    return Event.of(EventTypes.MESSAGE_DELIVERY_FAILED, null, delivery.conversationId(), null, agentId,
        new JsonObject().put("message_id", delivery.messageId()).put("channel", delivery.channel())
            .put("attempts", attempts).put("error", error), at);
  }
}
