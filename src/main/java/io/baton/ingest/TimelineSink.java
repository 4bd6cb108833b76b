package io.baton.ingest;

import io.baton.bus.Addresses;
import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.bus.BusHandlers;
import io.baton.bus.Nearby;
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
 *
 * <p>A message to be buffered for the bot (not {@code standby}) is stored with a mark "awaiting the
 * bot's buffer", in the same write: if buffering fails afterwards, or the process dies before it,
 * the sweeper ({@link Rebuffer}) finds the mark and buffers the message. {@link #cleared}
 * removes the marks of what was buffered, named by the marks the store answered (numbers, cheap
 * to index and to send).
 */
public final class TimelineSink implements StatusSink {

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
    return Nearby.request(bus, Addresses.OPERATOR_DELIVERY_STATUS, command,
            BusHandlers.forTenant(new DeliveryOptions(options), tenant)).<Void>mapEmpty().recover(failure -> {
      // The webhook fails, so that the provider sends the status again.
      LOG.warn("Delivery status {} of {} could not be recorded", status.status(), status.providerMessageId(), failure);
      return Future.failedFuture(new BatonException(BatonError.UNAVAILABLE,
          "A delivery status could not be recorded; retry shortly"));
    });
  }

  /**
   * What storing a webhook's messages did: {@code created} are durable and new to the timeline, and
   * {@code marks} are the awaiting-the-bot marks made for them; when {@code failure} is set, some
   * messages could not be stored (the others, in {@code created}, are).
   */
  public record Stored(List<InboundMessage> created, List<Long> marks, Throwable failure) {
  }

  /**
   * One command per tenant (usually one per webhook), carrying every conversation: the operator
   * stores them side by side, so a webhook's messages share commits with each other and with other
   * webhooks'. A conversation (or a tenant's command) that fails does not hide what the others stored.
   */
  public Future<Stored> store(List<InboundMessage> messages) {
    Map<String, Map<String, List<InboundMessage>>> byTenant = new LinkedHashMap<>();
    for (InboundMessage message : messages) {
      byTenant.computeIfAbsent(message.tenant(), tenant -> new LinkedHashMap<>())
          .computeIfAbsent(message.conversationKey(), conversation -> new ArrayList<>()).add(message);
    }
    List<Future<Stored>> tenants = new ArrayList<>();
    byTenant.forEach((tenant, conversations) -> tenants.add(store(tenant, List.copyOf(conversations.values()))
        .recover(failure -> Future.succeededFuture(new Stored(List.of(), List.of(), failure)))));
    return Future.all(tenants).map(done -> {
      List<InboundMessage> created = new ArrayList<>();
      List<Long> marks = new ArrayList<>();
      Throwable failure = null;
      for (Future<Stored> tenant : tenants) {
        created.addAll(tenant.result().created());
        marks.addAll(tenant.result().marks());
        failure = failure != null ? failure : tenant.result().failure();
      }
      return new Stored(created, marks, failure);
    });
  }

  /** Their messages are in the bot's buffer: the marks go, in one command (however many tenants). */
  public Future<Void> cleared(List<Long> marks) {
    if (marks.isEmpty()) {
      return Future.succeededFuture();
    }
    return Nearby.request(bus, Addresses.OPERATOR_CLEAR_AWAITING, new JsonObject().put("marks", new JsonArray(marks)),
        new DeliveryOptions(options)).mapEmpty();
  }

  /**
   * Claims, for {@code lease}, up to {@code limit} messages stored at least {@code olderThan} ago and
   * still awaiting the bot's buffer: {@code [{mark, tenant, conversation_id, message_id, media}…]},
   * oldest first (all but the mark null if the message is gone).
   */
  Future<JsonArray> claimAwaiting(Duration olderThan, Duration lease, int limit) {
    return bus.<JsonObject>request(Addresses.OPERATOR_CLAIM_AWAITING, new JsonObject()
            .put("older_than_ms", olderThan.toMillis()).put("lease_ms", lease.toMillis()).put("limit", limit),
            new DeliveryOptions(options))
        .map(reply -> reply.body().getJsonArray("messages", new JsonArray()));
  }

  private Future<Stored> store(String tenant, List<List<InboundMessage>> conversations) {
    JsonArray command = new JsonArray();
    for (List<InboundMessage> conversation : conversations) {
      JsonArray messages = new JsonArray();
      for (InboundMessage message : conversation) {
        messages.add(new JsonObject()
            .put("content", message.text())
            .put("message_owner", "user")
            .put("message_id", message.providerMessageId())
            .put("media", message.toJson())
            .put("await_bot", !message.standby()));
      }
      command.add(new JsonObject()
          .put("conversation_id", conversation.getFirst().conversationKey())
          .put("user_id", conversation.getFirst().customerId())
          .put("messages", messages));
    }
    return Nearby.<JsonObject>request(bus, Addresses.OPERATOR_ADD_MESSAGES, new JsonObject().put("conversations", command),
            BusHandlers.forTenant(new DeliveryOptions(options), tenant))
        .map(reply -> {
          JsonArray answers = reply.body().getJsonArray("conversations");
          List<InboundMessage> created = new ArrayList<>();
          List<Long> marks = new ArrayList<>();
          Throwable failure = null;
          for (int i = 0; i < conversations.size(); i++) {
            JsonObject answer = answers.getJsonObject(i);
            if (answer.containsKey("failed")) {
              LOG.warn("Messages of conversation {} could not be stored: {}", conversations.get(i).getFirst()
                  .conversationKey(), answer.getString("failed"));
              failure = failure != null ? failure
                  : new BatonException(BatonError.UNAVAILABLE, "The messages could not be stored; retry shortly");
              continue;
            }
            Set<String> ids = new HashSet<>();
            answer.getJsonArray("created_ids").forEach(id -> ids.add((String) id));
            conversations.get(i).stream().filter(message -> ids.contains(message.providerMessageId())).forEach(created::add);
            answer.getJsonArray("marks").forEach(mark -> marks.add(((Number) mark).longValue()));
          }
          return new Stored(created, marks, failure);
        });
  }
}
