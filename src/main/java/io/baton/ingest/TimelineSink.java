package io.baton.ingest;

import io.baton.bus.Addresses;
import io.baton.bus.BusHandlers;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores each new customer message in its conversation's timeline through the operator capability
 * (which creates the conversation, owned by the bot, when it is new), before the webhook is
 * acknowledged: an acknowledged message is durable. The provider's id is the message id, and the
 * timeline keeps a message id once per conversation: that is the durable dedup key, so a repeat
 * that slipped past the dedup cache is stored once and reported as not new.
 */
public final class TimelineSink implements MessageSink, StatusSink {

  private static final Logger LOG = LoggerFactory.getLogger(TimelineSink.class);
  static final int CHUNK = 100;

  private final EventBus bus;
  private final DeliveryOptions options;

  public TimelineSink(EventBus bus, Duration timeout) {
    this.bus = bus;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  /**
   * The sent message is looked for in {@code <channel>:<recipient>} (channel conversations), then in
   * {@code <recipient>} (the seed's phone-keyed conversations).
   */
  @Override
  public Future<Void> applyStatus(String tenant, StatusUpdate status) {
    if (status.recipientId() == null) {
      return Future.succeededFuture();
    }
    JsonObject command = new JsonObject()
        .put("conversation_ids", new JsonArray().add(status.channel() + ":" + status.recipientId()).add(status.recipientId()))
        .put("status", "played".equals(status.status()) ? "read" : status.status());
    if (status.isWatermark()) {
      command.put("up_to", status.timestamp().toString());
    } else {
      command.put("message_id", status.providerMessageId());
    }
    return bus.request(Addresses.OPERATOR_DELIVERY_STATUS, command,
            BusHandlers.forTenant(new DeliveryOptions(options), tenant)).<Void>mapEmpty().otherwise(failure -> {
      LOG.warn("Delivery status {} of {} could not be recorded", status.status(), status.providerMessageId(), failure);
      return null;
    });
  }

  /** In chunks of {@link #CHUNK}: one transaction each, so a burst of 1,000 is not 1,000 commits. */
  @Override
  public Future<List<InboundMessage>> acceptAll(List<InboundMessage> conversation) {
    List<InboundMessage> created = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < conversation.size(); from += CHUNK) {
      List<InboundMessage> chunk = conversation.subList(from, Math.min(conversation.size(), from + CHUNK));
      chain = chain.compose(previous -> store(chunk).map(ids -> {
        chunk.stream().filter(message -> ids.contains(message.providerMessageId())).forEach(created::add);
        return null;
      }));
    }
    return chain.map(done -> created);
  }

  /** The provider ids of the chunk's messages that were stored now (not before). */
  private Future<Set<String>> store(List<InboundMessage> chunk) {
    InboundMessage first = chunk.getFirst();
    JsonArray messages = new JsonArray();
    for (InboundMessage message : chunk) {
      messages.add(new JsonObject()
          .put("content", message.text())
          .put("message_owner", "user")
          .put("message_id", message.providerMessageId())
          .put("media", message.toJson()));
    }
    return bus.request(Addresses.OPERATOR_ADD_MESSAGES, new JsonObject()
        .put("conversation_id", first.conversationKey())
        .put("user_id", first.customerId())
        .put("messages", messages), BusHandlers.forTenant(new DeliveryOptions(options), first.tenant()))
        .map(reply -> {
          Set<String> ids = new HashSet<>();
          ((JsonObject) reply.body()).getJsonArray("created_ids").forEach(id -> ids.add((String) id));
          return ids;
        });
  }
}
