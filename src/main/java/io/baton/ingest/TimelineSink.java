package io.baton.ingest;

import io.baton.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Stores each new customer message in its conversation's timeline through the operator capability
 * (which creates the conversation, owned by the bot, when it is new), before the webhook is
 * acknowledged: an acknowledged message is durable. The provider's id is the message id, so a
 * repeat that slipped past dedup is stored once all the same.
 */
public final class TimelineSink implements MessageSink {

  private final EventBus bus;
  private final DeliveryOptions options;

  public TimelineSink(EventBus bus, Duration timeout) {
    this.bus = bus;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  @Override
  public Future<Void> accept(InboundMessage message) {
    JsonObject body = new JsonObject()
        .put("content", message.text())
        .put("message_owner", "user")
        .put("message_id", message.providerMessageId())
        .put("user_id", message.customerId())
        .put("media", message.toJson());
    return bus.request(Addresses.OPERATOR_ADD_MESSAGE,
        new JsonObject().put("conversation_id", message.conversationKey()).put("body", body), options).mapEmpty();
  }
}
