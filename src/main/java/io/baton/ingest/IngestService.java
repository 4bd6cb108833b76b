package io.baton.ingest;

import io.baton.bus.Addresses;
import io.baton.bus.BusHandlers;
import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.config.BatonConfig.AccountSecrets;
import io.baton.config.BatonConfig.ChannelsConfig;
import io.baton.config.BatonConfig.MetaChannel;
import io.baton.ingest.channels.ChannelParser;
import io.baton.ingest.debounce.Debouncer;
import io.baton.ingest.dispatch.DispatchStats;
import io.baton.ingest.channels.messenger.MessengerParser;
import io.baton.ingest.channels.twitter.TwitterParser;
import io.baton.ingest.channels.whatsapp.WhatsAppParser;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Supplier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook path: verify the signature over the raw bytes, then parse, normalise, dedup and hand
 * each new message on. Once the signature holds, the answer is "received" whatever the content:
 * what Baton cannot use is counted and logged, never refused (providers retry refusals for days,
 * or unsubscribe). Only a dependency failure (the message could not be made durable) fails it, so
 * that the provider retries.
 */
public final class IngestService {

  private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

  private final ChannelsConfig config;
  private final Dedup dedup;
  private final StatusTracker statuses;
  private final IngestStats stats;
  private final MessageSink sink;
  private final StatusSink timeline;
  private final Debouncer debouncer;
  private final DispatchStats dispatchStats;
  private final Supplier<JsonObject> delivery;
  private final Clock clock;

  public IngestService(ChannelsConfig config, Dedup dedup, StatusTracker statuses, IngestStats stats, MessageSink sink,
      StatusSink timeline, Debouncer debouncer, DispatchStats dispatchStats, Clock clock) {
    this(config, dedup, statuses, stats, sink, timeline, debouncer, dispatchStats, clock, JsonObject::new);
  }

  /** {@code delivery}: the outbound capability's counters, reported by /stats with the webhook path's. */
  public IngestService(ChannelsConfig config, Dedup dedup, StatusTracker statuses, IngestStats stats, MessageSink sink,
      StatusSink timeline, Debouncer debouncer, DispatchStats dispatchStats, Clock clock,
      Supplier<JsonObject> delivery) {
    this.delivery = delivery;
    this.timeline = timeline;
    this.debouncer = debouncer;
    this.dispatchStats = dispatchStats;
    this.config = config;
    this.dedup = dedup;
    this.statuses = statuses;
    this.stats = stats;
    this.sink = sink;
    this.clock = clock;
  }

  /** Meta's {@code hub.*} handshake: the challenge, byte for byte, when the token is ours. */
  public Future<JsonObject> verifyMeta(String channel, String mode, String token, String challenge) {
    MetaChannel meta = meta(channel);
    if (mode == null || token == null || challenge == null) {
      return Future.failedFuture(new BatonException(BatonError.BAD_REQUEST,
          "hub.mode, hub.verify_token and hub.challenge are required"));
    }
    if (!"subscribe".equals(mode) || !Signatures.same(meta.verifyToken(), token)) {
      return Future.failedFuture(new BatonException(BatonError.FORBIDDEN, "Verification failed"));
    }
    return Future.succeededFuture(new JsonObject().put("challenge", challenge));
  }

  /** X's CRC check, answered with the consumer secret (the default one: X sends no account with it). */
  public Future<JsonObject> crc(String crcToken) {
    if (crcToken == null || crcToken.isEmpty()) {
      return Future.failedFuture(new BatonException(BatonError.BAD_REQUEST, "crc_token is required"));
    }
    List<String> secrets = config.twitter().secrets().candidates();
    if (secrets.isEmpty()) {
      return Future.failedFuture(new BatonException(BatonError.FORBIDDEN, "No X consumer secret is configured"));
    }
    return Future.succeededFuture(new JsonObject()
        .put("response_token", Signatures.twitter(secrets.getFirst(), crcToken.getBytes(StandardCharsets.UTF_8))));
  }

  public Future<JsonObject> receive(String channel, String signature, Buffer body) {
    stats.webhooks.incrementAndGet();
    AccountSecrets secrets = secrets(channel);
    Optional<String> signedWith = TwitterParser.CHANNEL.equals(channel)
        ? Signatures.matchTwitter(secrets.candidates(), signature, body)
        : Signatures.matchMeta(secrets.candidates(), signature, body);
    if (signedWith.isEmpty()) {
      stats.invalidSignatures.incrementAndGet();
      LOG.warn("{} webhook refused: signature {}", channel, signature == null ? "missing" : "invalid");
      return Future.failedFuture(new BatonException(BatonError.UNAUTHORIZED,
          "The webhook signature is missing or invalid"));
    }
    JsonObject json;
    try {
      json = new JsonObject(body);
    } catch (DecodeException | ClassCastException notAnObject) {
      stats.unparseable.incrementAndGet();
      LOG.warn("{} webhook with a valid signature is not a JSON object; acknowledged and dropped", channel);
      return Future.succeededFuture(received(0, 0));
    }
    ParsedWebhook parsed = parser(channel).parse(json, signedWith.get(), secrets, clock.instant());
    stats.unsupported.addAndGet(parsed.unsupported);
    stats.echoes.addAndGet(parsed.echoes);
    stats.foreignAccount.addAndGet(parsed.foreignAccount);
    if (parsed.unsupported > 0 || parsed.foreignAccount > 0) {
      LOG.info("{} webhook: {} unsupported update(s), {} of an account its secret does not cover", channel,
          parsed.unsupported, parsed.foreignAccount);
    }
    Duration ttl = ttl(channel);
    // In the provider's timestamp order (deliveries are unordered; the sort is stable for equal times).
    // Each message in the tenant its account belongs to.
    List<InboundMessage> ordered = parsed.messages.stream().sorted(Comparator.comparing(InboundMessage::timestamp))
        .map(message -> message.inTenant(secrets.tenantOf(message.account())))
        .toList();
    Future<Integer> accepted = acceptAll(channel, ordered, ttl);
    List<Future<Boolean>> advanced = new ArrayList<>();
    for (StatusUpdate status : parsed.statuses) {
      if (status.isWatermark()) {
        // It names no message to keep a rank for; the timeline moves each message forward only.
        stats.statuses.incrementAndGet();
        advanced.add(timeline.applyStatus(secrets.tenantOf(status.account()), status).map(true));
        continue;
      }
      advanced.add(statuses.advance(status, ttl).compose(moved -> {
        (moved ? stats.statuses : stats.staleStatuses).incrementAndGet();
        return moved ? timeline.applyStatus(secrets.tenantOf(status.account()), status).map(true)
            // Not applied: the webhook fails, and its retry must find the status new again.
            .recover(failure -> statuses.forget(status).transform(forgotten -> Future.failedFuture(failure)))
            : Future.succeededFuture(false);
      }));
    }
    return Future.all(accepted, Future.all(advanced)).map(done -> received(accepted.result(),
        parsed.messages.size() - accepted.result()));
  }

  /**
   * Claims every message at once (one round trip), then stores the new ones (one command: the
   * conversations side by side, each conversation's messages in order). Answers how many were new.
   * If the claims or the store fail, the claims taken are given back before the failure is reported,
   * so the provider's retry processes them; what was stored meanwhile is recognised by the
   * timeline's unique message id.
   */
  private Future<Integer> acceptAll(String channel, List<InboundMessage> ordered, Duration ttl) {
    if (ordered.isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<String> ids = ordered.stream().map(InboundMessage::providerMessageId).toList();
    Future<List<Boolean>> claims = dedup.claimAll(channel, ids, ttl);
    return claims.compose(claimed -> {
      List<InboundMessage> fresh = new ArrayList<>();
      for (int i = 0; i < ordered.size(); i++) {
        if (claimed.get(i)) {
          fresh.add(ordered.get(i));
        }
      }
      stats.deduplicated.addAndGet(ordered.size() - fresh.size());
      return fresh.isEmpty() ? Future.succeededFuture(0) : sink.acceptAll(fresh).map(created -> {
        stats.messages.addAndGet(created.size());
        stats.deduplicated.addAndGet(fresh.size() - created.size());
        return created.size();
      });
    }).recover(failure -> {
      if (!claims.succeeded()) {
        return Future.failedFuture(failure);
      }
      List<String> taken = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        if (claims.result().get(i)) {
          taken.add(ids.get(i));
        }
      }
      return dedup.releaseAll(channel, taken).transform(released -> Future.failedFuture(failure));
    });
  }

  private static JsonObject received(int messages, int duplicates) {
    return new JsonObject().put("status", "received").put("messages", messages).put("duplicates", duplicates);
  }

  /**
   * A chatbot hands its session to a human (shared secret): a handoff for conversation
   * {@code chatbot:<session_id>}, answered the way the chatbot expects.
   */
  public Future<JsonObject> chatbot(EventBus bus, Duration timeout, String secret, JsonObject body) {
    if (!Signatures.same(config.chatbotSecret(), secret)) {
      return Future.failedFuture(new BatonException(BatonError.UNAUTHORIZED,
          "The chatbot secret is missing or invalid"));
    }
    String sessionId = body.getString("session_id");
    JsonObject metadata = new JsonObject().put("channel", "chatbot").put("session_id", sessionId);
    for (String field : List.of("customer_email", "customer_name", "subject")) {
      if (body.getString(field) != null) {
        metadata.put(field, body.getString(field));
      }
    }
    metadata.put("tags", body.getJsonArray("tags", new JsonArray()));
    String email = body.getString("customer_email");
    JsonObject create = new JsonObject()
        .put("conversation_id", "chatbot:" + sessionId)
        .put("user_id", email != null && !email.isBlank() ? email : sessionId)
        .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user")
            .put("content", body.getString("initial_message"))))
        .put("priority", body.getString("priority", "MEDIUM").toUpperCase(Locale.ROOT))
        .put("metadata", metadata)
        .put("skip_triggers", false)
        .put("kind", "handoff");
    return bus.<JsonObject>request(Addresses.HANDOFF_CREATE, new JsonObject().put("body", create),
            BusHandlers.forTenant(new DeliveryOptions().setSendTimeout(timeout.toMillis()), config.chatbotTenant()))
        .map(Message::body)
        .map(handoff -> new JsonObject()
            .put("success", true)
            .put("handoff_id", handoff.getString("handoff_id"))
            .put("status", handoff.getString("status"))
            .put("message", "Handoff " + handoff.getString("handoff_id") + " created. An agent will respond shortly."));
  }

  /** The seed's /stats shape, plus this instance's ingest and dispatch counters. */
  public Future<JsonObject> stats() {
    return debouncer.stats().map(buffer -> new JsonObject()
        .put("buffer", buffer)
        .put("deduplication", new JsonObject()
            .put("cache_type", dedup.cacheType())
            .put("total_deduplicated", stats.deduplicated.get()))
        .put("dispatch", dispatchStats.toJson())
        .put("ingest", stats.toJson())
        .put("delivery", delivery.get())
        .put("environment", config.environment()));
  }

  private MetaChannel meta(String channel) {
    return switch (channel) {
      case WhatsAppParser.CHANNEL -> config.whatsapp();
      case MessengerParser.CHANNEL -> config.messenger();
      default -> throw new IllegalArgumentException("No Meta channel " + channel);
    };
  }

  private AccountSecrets secrets(String channel) {
    return TwitterParser.CHANNEL.equals(channel) ? config.twitter().secrets() : meta(channel).secrets();
  }

  private Duration ttl(String channel) {
    return TwitterParser.CHANNEL.equals(channel) ? config.twitter().dedupTtl() : meta(channel).dedupTtl();
  }

  private static final ChannelParser WHATSAPP = new WhatsAppParser();
  private static final ChannelParser MESSENGER = new MessengerParser();
  private static final ChannelParser TWITTER = new TwitterParser();

  private static ChannelParser parser(String channel) {
    return switch (channel) {
      case WhatsAppParser.CHANNEL -> WHATSAPP;
      case MessengerParser.CHANNEL -> MESSENGER;
      case TwitterParser.CHANNEL -> TWITTER;
      default -> throw new IllegalArgumentException("Unknown channel " + channel);
    };
  }
}
