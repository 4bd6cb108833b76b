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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * One command per tenant (usually one per webhook), carrying every conversation: the operator
   * stores them side by side, so a webhook's messages share commits with each other and with other
   * webhooks'.
   */
  @Override
  public Future<List<InboundMessage>> acceptAll(List<InboundMessage> messages) {
    Map<String, Map<String, List<InboundMessage>>> byTenant = new LinkedHashMap<>();
    for (InboundMessage message : messages) {
      byTenant.computeIfAbsent(message.tenant(), tenant -> new LinkedHashMap<>())
          .computeIfAbsent(message.conversationKey(), conversation -> new ArrayList<>()).add(message);
    }
    List<Future<List<InboundMessage>>> stored = new ArrayList<>();
    byTenant.forEach((tenant, conversations) -> stored.add(store(tenant, List.copyOf(conversations.values()))));
    return Future.all(stored).map(done -> stored.stream().flatMap(created -> created.result().stream()).toList());
  }

  /** The messages of the tenant's conversations that were stored now (not before). */
  private Future<List<InboundMessage>> store(String tenant, List<List<InboundMessage>> conversations) {
    JsonArray command = new JsonArray();
    for (List<InboundMessage> conversation : conversations) {
      JsonArray messages = new JsonArray();
      for (InboundMessage message : conversation) {
        messages.add(new JsonObject()
            .put("content", message.text())
            .put("message_owner", "user")
            .put("message_id", message.providerMessageId())
            .put("media", message.toJson()));
      }
      command.add(new JsonObject()
          .put("conversation_id", conversation.getFirst().conversationKey())
          .put("user_id", conversation.getFirst().customerId())
          .put("messages", messages));
    }
    return bus.<JsonObject>request(Addresses.OPERATOR_ADD_MESSAGES, new JsonObject().put("conversations", command),
            BusHandlers.forTenant(new DeliveryOptions(options), tenant))
        .map(reply -> {
          JsonArray answers = reply.body().getJsonArray("conversations");
          List<InboundMessage> created = new ArrayList<>();
          for (int i = 0; i < conversations.size(); i++) {
            Set<String> ids = new HashSet<>();
            answers.getJsonObject(i).getJsonArray("created_ids").forEach(id -> ids.add((String) id));
            conversations.get(i).stream().filter(message -> ids.contains(message.providerMessageId())).forEach(created::add);
          }
          return created;
        });
  }
}
