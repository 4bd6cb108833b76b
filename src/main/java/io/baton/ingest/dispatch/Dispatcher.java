package io.baton.ingest.dispatch;

import io.baton.bus.Addresses;
import io.baton.bus.BusHandlers;
import io.baton.config.BatonConfig.BotConfig;
import io.baton.ingest.debounce.Debouncer;
import io.baton.ingest.debounce.Debouncer.Batch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a flushed batch, decided by its conversation's owner (the operator capability
 * knows it). The messages are already in the timeline (stored when the webhook was answered, with
 * their message.created events), so for QUEUED and AGENT there is nothing more to do: the bot is not
 * called. For BOT: the triggers run on the batch, and a handoff is created when one fires; otherwise
 * the batch goes to the bot, and a handoff is created when the bot's answer asks for a human. A
 * failed call stays claimed and is retried with backoff from the debouncer's state (same batch id,
 * which the bot sees as {@code webhook-id}), until {@code max_attempts}.
 */
public final class Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final Debouncer debouncer;
  private final EventBus bus;
  private final WebClient client;
  private final BotConfig bot;
  private final DispatchStats stats;
  private final Clock clock;
  private final DeliveryOptions options;
  /** The dispatch verticle's: all of a dispatch runs on its event loop. */
  private final Context context;
  /** Batches done with in this turn of the event loop, and the future their completion answers. */
  private List<Batch> toComplete = new ArrayList<>();
  private Promise<Void> completed;

  public Dispatcher(Debouncer debouncer, EventBus bus, WebClient client, BotConfig bot, DispatchStats stats,
      Clock clock, Duration busTimeout, Context context) {
    this.context = context;
    this.debouncer = debouncer;
    this.bus = bus;
    this.client = client;
    this.bot = bot;
    this.stats = stats;
    this.clock = clock;
    this.options = new DeliveryOptions().setSendTimeout(busTimeout.toMillis());
  }

  /**
   * Dispatches a claim of batches: their conversations' owners are read at once (one command per
   * tenant, rather than one per batch), then each batch goes on by its owner. Answers one future per
   * batch, completed when the batch is done with (completed, rescheduled, or left to its lease).
   */
  public List<Future<Void>> dispatchAll(List<Batch> batches) {
    Map<String, Set<String>> conversationsByTenant = new HashMap<>();
    batches.forEach(batch -> conversationsByTenant.computeIfAbsent(batch.tenant(), tenant -> new LinkedHashSet<>())
        .add(batch.conversationId()));
    Map<String, Future<JsonObject>> ownersByTenant = new HashMap<>();
    conversationsByTenant.forEach((tenant, conversations) -> ownersByTenant.put(tenant, request(tenant,
        Addresses.OPERATOR_OWNERS, new JsonObject().put("conversation_ids", new JsonArray(List.copyOf(conversations))))
        .map(answer -> answer.getJsonObject("owners"))));
    return batches.stream().map(batch -> dispatch(batch, ownersByTenant.get(batch.tenant())
        .map(owners -> owners.getString(batch.conversationId())))).toList();
  }

  private Future<Void> dispatch(Batch batch, Future<String> owner) {
    stats.batches.incrementAndGet();
    return owner
        .compose(found -> {
          if (found == null) {
            return Future.failedFuture("conversation " + batch.conversationId() + " not found");
          }
          if (!"BOT".equals(found)) {
            stats.toAgents.incrementAndGet();
            return complete(batch);
          }
          return toBot(batch);
        })
        .recover(failure -> {
          // The capability did not answer: the lease brings the batch back later.
          LOG.warn("Dispatch of batch {} ({}) failed; it will be claimed again after its lease", batch.batchId(),
              batch.conversationId(), failure);
          return Future.succeededFuture();
        });
  }

  /**
   * Completes the batch together with the others done with in this turn of the event loop: a claim's
   * batches are mostly answered together, and their completions then share the debouncer's round trips.
   */
  private Future<Void> complete(Batch batch) {
    if (toComplete.isEmpty()) {
      Promise<Void> group = Promise.promise();
      completed = group;
      context.runOnContext(turnEnded -> {
        List<Batch> batches = toComplete;
        toComplete = new ArrayList<>();
        debouncer.completeAll(batches).onComplete(group);
      });
    }
    toComplete.add(batch);
    return completed.future();
  }

  private Future<Void> toBot(Batch batch) {
    JsonArray transcript = transcript(batch);
    JsonObject first = batch.messages().getFirst();
    JsonObject metadata = new JsonObject().put("channel", first.getString("channel")).put("batch_id", batch.batchId());
    return request(batch, Addresses.HANDOFF_CHECK, new JsonObject().put("messages", transcript).put("metadata", metadata)
            .put("conversation_id", batch.conversationId()))
        .compose(check -> {
          if (check.getBoolean("should_handoff", false)) {
            return handoff(batch, transcript, metadata, check.getString("suggested_priority", "MEDIUM"))
                .compose(created -> complete(batch));
          }
          if (!bot.configured()) {
            stats.noBot.incrementAndGet();
            return complete(batch);
          }
          return callBot(batch, transcript, metadata);
        });
  }

  private Future<Void> callBot(Batch batch, JsonArray transcript, JsonObject metadata) {
    JsonObject first = batch.messages().getFirst();
    String envelope = new JsonObject()
        .put("type", "messages.batch")
        .put("batch_id", batch.batchId())
        .put("conversation_id", batch.conversationId())
        // A bot serving several tenants answers each through its tenant's key.
        .put("tenant", batch.tenant())
        .put("channel", first.getString("channel"))
        .put("customer_id", first.getString("customer_id"))
        .encode();
    // The messages as the buffer holds them: encoding them again was the largest part of a dispatch's CPU.
    String body = envelope.substring(0, envelope.length() - 1) + ",\"messages\":" + batch.messagesJson() + "}";
    long timestamp = clock.instant().getEpochSecond();
    return client.postAbs(bot.url())
        .timeout(bot.timeout().toMillis())
        .putHeader("Content-Type", "application/json")
        .putHeader("webhook-id", batch.batchId())
        .putHeader("webhook-timestamp", String.valueOf(timestamp))
        .putHeader("webhook-signature", StandardWebhooks.sign(bot.secret(), batch.batchId(), timestamp, body))
        .sendBuffer(Buffer.buffer(body))
        .transform(done -> {
          HttpResponse<Buffer> response = done.succeeded() ? done.result() : null;
          int status = response == null ? 0 : response.statusCode();
          if (status >= 200 && status < 300) {
            stats.toBot.incrementAndGet();
            JsonObject answer = jsonOrEmpty(response);
            if (asksForHuman(answer)) {
              return handoff(batch, transcript, metadata.copy().put("bot_reason", answer.getString("reason")),
                  answer.getString("priority", "MEDIUM")).compose(created -> complete(batch));
            }
            return complete(batch);
          }
          stats.botFailures.incrementAndGet();
          if (status == 410 || batch.attempt() >= bot.maxAttempts()) {
            stats.givenUp.incrementAndGet();
            LOG.warn("Batch {} ({}) given up after {} attempt(s); the bot answered {}", batch.batchId(),
                batch.conversationId(), batch.attempt(), status == 0 ? done.cause().toString() : status);
            return complete(batch);
          }
          stats.retriesScheduled.incrementAndGet();
          return debouncer.retryAt(batch, clock.instant().plus(delay(batch.attempt(), response)));
        });
  }

  /** Exponential backoff with full jitter on the upper half, or the bot's Retry-After (seconds). */
  Duration delay(int attempt, HttpResponse<Buffer> response) {
    String retryAfter = response == null ? null : response.getHeader("Retry-After");
    if (retryAfter != null) {
      try {
        return Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.trim())));
      } catch (NumberFormatException notSeconds) {
        // An HTTP date: fall back to the backoff.
      }
    }
    long base = bot.backoff().toMillis() << Math.min(attempt - 1, 16);
    return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
  }

  /** {@code {"handoff": true}} or {@code {"action": "handoff"}}, optionally with {@code reason} and {@code priority}. */
  static boolean asksForHuman(JsonObject answer) {
    return Boolean.TRUE.equals(answer.getValue("handoff")) || "handoff".equals(answer.getValue("action"));
  }

  private static JsonObject jsonOrEmpty(HttpResponse<Buffer> response) {
    try {
      return response.body() == null ? new JsonObject() : response.bodyAsJsonObject();
    } catch (RuntimeException notAnObject) {
      return new JsonObject();
    }
  }

  private Future<JsonObject> handoff(Batch batch, JsonArray transcript, JsonObject metadata, String priority) {
    JsonObject create = new JsonObject()
        .put("conversation_id", batch.conversationId())
        .put("user_id", batch.messages().getFirst().getString("customer_id"))
        .put("messages", transcript)
        .put("priority", priority == null ? "MEDIUM" : priority)
        .put("metadata", metadata)
        .put("skip_triggers", false)
        .put("kind", "handoff");
    return request(batch, Addresses.HANDOFF_CREATE, new JsonObject().put("body", create))
        .onSuccess(handoff -> {
          stats.handoffsCreated.incrementAndGet();
          LOG.info("Batch {} handed conversation {} over: {}", batch.batchId(), batch.conversationId(),
              handoff.getString("handoff_id"));
        });
  }

  private static JsonArray transcript(Batch batch) {
    JsonArray transcript = new JsonArray();
    for (JsonObject message : batch.messages()) {
      String text = message.getString("text");
      transcript.add(new JsonObject().put("speaker", "user")
          .put("content", text != null && !text.isBlank() ? text : "[" + message.getString("type") + "]"));
    }
    return transcript;
  }

  /** A command about the batch's conversation, in the batch's tenant. */
  private Future<JsonObject> request(Batch batch, String address, JsonObject body) {
    return request(batch.tenant(), address, body);
  }

  private Future<JsonObject> request(String tenant, String address, JsonObject body) {
    return bus.<JsonObject>request(address, body, BusHandlers.forTenant(new DeliveryOptions(options), tenant))
        .map(Message::body);
  }
}
