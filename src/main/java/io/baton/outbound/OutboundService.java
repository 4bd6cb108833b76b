package io.baton.outbound;

import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.config.BatonConfig.OutboundConfig;
import io.baton.downstream.Backoff;
import io.baton.downstream.Breaker;
import io.baton.downstream.CallFailed;
import io.baton.operator.ConversationMessage;
import io.baton.operator.OperatorStore;
import io.baton.operator.Outbox;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends messages for the customer through their conversation's channel, from durable state: a send
 * is written before its message is stored and tried at once once it is; one that fails (or meets the
 * channel's open breaker) is retried with backoff by whichever instance claims it when due, until the
 * provider takes it or the attempts are used. A request the provider refuses as wrong (a 4xx other
 * than 408/429) fails the message at once: sending it again cannot help.
 */
public final class OutboundService implements Outbox {

  private static final Logger LOG = LoggerFactory.getLogger(OutboundService.class);
  public static final List<String> CHANNELS = List.of("whatsapp", "messenger", "twitter");
  /** Published on every breaker state change: {@code {channel, state, at}}. */
  public static final String BREAKER_CHANGED = "outbound.evt.breaker_state";
  /** Messenger and WhatsApp: a business answers freely this long after the customer's last message… */
  static final Duration STANDARD_WINDOW = Duration.ofHours(24);
  /** …and on Messenger a human agent, with the HUMAN_AGENT tag, this long. */
  static final Duration HUMAN_AGENT_WINDOW = Duration.ofDays(7);
  /** Digits with the country code: the seed's phone-keyed conversations are WhatsApp's. */
  private static final Pattern PHONE = Pattern.compile("\\d{6,15}");

  private final OutboundStore store;
  private final OperatorStore operator;
  private final Map<String, ChannelSender> senders;
  private final Map<String, Breaker> breakers;
  private final OutboundConfig config;
  private final OutboundStats stats;
  private final Clock clock;
  private final Duration lease;

  public OutboundService(OutboundStore store, OperatorStore operator, Map<String, ChannelSender> senders,
      Map<String, Breaker> breakers, OutboundConfig config, OutboundStats stats, Clock clock) {
    this.store = store;
    this.operator = operator;
    this.senders = senders;
    this.breakers = breakers;
    this.config = config;
    this.stats = stats;
    this.clock = clock;
    // One call bounded by the call timeout, with room to record the outcome.
    this.lease = config.breaker().callTimeout().multipliedBy(2).plusSeconds(5);
    stats.breakerStates(channel -> breakers.containsKey(channel) ? breakers.get(channel).state() : null);
  }

  /** Whom a conversation's messages go to, through which channel. */
  record Route(String channel, String recipient) {
  }

  /** {@code <channel>:<customer id>} for channel traffic; a bare phone number for the seed's WhatsApp flows. */
  static Optional<Route> route(String conversationId) {
    int colon = conversationId.indexOf(':');
    if (colon > 0) {
      String channel = conversationId.substring(0, colon);
      String customer = conversationId.substring(colon + 1);
      return CHANNELS.contains(channel) && !customer.isEmpty() ? Optional.of(new Route(channel, customer))
          : Optional.empty();
    }
    return PHONE.matcher(conversationId).matches() ? Optional.of(new Route("whatsapp", conversationId))
        : Optional.empty();
  }

  @Override
  public Future<Prepared> prepare(String tenant, ConversationMessage message, boolean human) {
    Optional<Route> route = route(message.conversationId());
    if (route.isEmpty()) {
      return Future.succeededFuture(Prepared.NOTHING);
    }
    String channel = route.get().channel();
    Instant now = now();
    return operator.lastCustomerMessage(tenant, message.conversationId()).compose(last -> {
      JsonObject payload = new JsonObject().put("text", message.content()).put("media", message.media());
      if ("messenger".equals(channel)) {
        window(last, human, now, payload);
      }
      String account = last.map(m -> m.media() == null ? null : m.media().getString("account")).orElse(null);
      if (account == null || account.isBlank()) {
        account = config.channel(channel).defaultAccount();
      }
      if ("whatsapp".equals(channel) && account.isBlank()) {
        LOG.warn("Message {} of conversation {} stays queued: no WhatsApp phone_number_id to send from"
            + " (no webhook named one, and outbound.whatsapp.default_account is empty)", message.messageId(),
            message.conversationId());
        return Future.succeededFuture(Prepared.NOTHING);
      }
      if (config.channel(channel).token(account).isBlank()) {
        // Not set up to send on this channel (the embedded default): the message stays queued, as
        // before outbound delivery existed, rather than calling the provider without credentials.
        LOG.warn("Message {} of conversation {} stays queued: no outbound.{} access token for account {}",
            message.messageId(), message.conversationId(), channel, account);
        return Future.succeededFuture(Prepared.NOTHING);
      }
      if ("whatsapp".equals(channel)) {
        whatsAppWindow(last, now);
      }
      Instant hold = now.plus(config.retry().orphanAfter());
      OutboundDelivery delivery = new OutboundDelivery(message.conversationId(), message.messageId(), channel,
          account, route.get().recipient(), payload, OutboundDelivery.RETRYING, 0, hold, null, tenant);
      return store.enqueue(delivery, now).map(queued -> new Prepared(queued, hold));
    });
  }

  /**
   * Messenger's rules: RESPONSE within 24 h of the customer's last message; from then to 7 days only a
   * human, tagged HUMAN_AGENT; never after. The refusal says which rule and how long it has been.
   */
  private static void window(Optional<ConversationMessage> last, boolean human, Instant now, JsonObject payload) {
    if (last.isEmpty()) {
      throw new BatonException(BatonError.UNPROCESSABLE,
          "Messenger allows a page to write only after the customer has: this customer has not written yet");
    }
    Duration since = Duration.between(last.get().createdAt(), now);
    if (since.compareTo(STANDARD_WINDOW) <= 0) {
      payload.put("messaging_type", "RESPONSE");
      return;
    }
    String ago = since.toHours() + " h";
    if (since.compareTo(HUMAN_AGENT_WINDOW) > 0) {
      throw new BatonException(BatonError.UNPROCESSABLE, "The customer's last Messenger message was " + ago
          + " ago: Messenger allows no message more than 7 days after it, until the customer writes again");
    }
    if (!human) {
      throw new BatonException(BatonError.UNPROCESSABLE, "The customer's last Messenger message was " + ago
          + " ago: after 24 h Messenger allows only a human agent to write (tag HUMAN_AGENT), and this sender"
          + " is not one");
    }
    payload.put("messaging_type", "MESSAGE_TAG").put("tag", "HUMAN_AGENT");
  }

  /**
   * WhatsApp's rule: free-form messages only within 24 h of the customer's last message; the provider
   * refuses later ones (131047), so they are refused here, before anything is stored. Checked only
   * where Baton sends (an account with a token): a message that stays queued is not WhatsApp's concern.
   */
  private static void whatsAppWindow(Optional<ConversationMessage> last, Instant now) {
    String rule = "WhatsApp allows free-form messages only within 24 h of the customer's last message";
    String templates = "; template messages, which WhatsApp allows outside that window, are not supported by Baton yet";
    if (last.isEmpty()) {
      throw new BatonException(BatonError.UNPROCESSABLE, rule + ", and this customer has not written yet" + templates);
    }
    Duration since = Duration.between(last.get().createdAt(), now);
    if (since.compareTo(STANDARD_WINDOW) > 0) {
      throw new BatonException(BatonError.UNPROCESSABLE, rule + ", and the customer's last WhatsApp message was "
          + since.toHours() + " h ago" + templates);
    }
  }

  @Override
  public void stored(String tenant, ConversationMessage message, boolean created, Prepared prepared) {
    if (!prepared.queued()) {
      return;
    }
    if (!created) {
      // The message was stored before (a repeated id) and its own send, if any, is done: nothing to send.
      store.drop(tenant, message.conversationId(), message.messageId()).onFailure(failure ->
          LOG.warn("Could not drop the repeated send of message {}; it is dropped when due", message.messageId(),
              failure));
      return;
    }
    Instant now = now();
    store.claim(tenant, message.conversationId(), message.messageId(), prepared.hold(), now.plus(lease))
        .compose(claimed -> claimed.map(this::attempt).orElse(Future.succeededFuture()))
        .onFailure(failure -> LOG.warn("First send of message {} failed to start; it is retried when due",
            message.messageId(), failure));
  }

  /** One round of due sends; answers how many were claimed. */
  public Future<Integer> runDue() {
    Instant now = now();
    return store.claimDue(now, now.plus(lease), config.retry().batchSize())
        .compose(due -> Future.join(due.stream().map(this::attempt).toList())
            .transform(done -> Future.succeededFuture(due.size())));
  }

  /** Sends a claimed delivery, if its message is still waiting for it, and records the outcome. */
  private Future<Void> attempt(OutboundDelivery delivery) {
    return operator.message(delivery.tenant(), delivery.conversationId(), delivery.messageId()).compose(found -> {
      if (found.isEmpty() || !ConversationMessage.QUEUED.equals(found.get().deliveryStatus())) {
        // Never stored (the instance stopped, or the store failed), or sent already: nothing is owed.
        return store.drop(delivery.tenant(), delivery.conversationId(), delivery.messageId());
      }
      int attempt = delivery.attempts() + 1;
      return send(delivery).transform(sent -> sent.succeeded()
          ? recordSent(delivery, sent.result(), attempt)
          : failed(delivery, attempt, sent.cause()));
    });
  }

  /**
   * The provider took the message. Should recording that fail (the database is away), the send stays
   * leased and goes out again when the lease ends: at least once, never a message lost.
   */
  private Future<Void> recordSent(OutboundDelivery delivery, String providerId, int attempt) {
    stats.of(delivery.channel()).sent().incrementAndGet();
    return store.sent(delivery.tenant(), delivery.conversationId(), delivery.messageId(), providerId, now())
        .onSuccess(sent -> LOG.info("Message {} of conversation {} sent on {} as {} (attempt {})",
            delivery.messageId(), delivery.conversationId(), delivery.channel(), providerId, attempt))
        .onFailure(failure -> LOG.error("Message {} of conversation {} was taken by {} as {} but could not be"
            + " recorded; it is sent again when its lease ends", delivery.messageId(), delivery.conversationId(),
            delivery.channel(), providerId, failure))
        .mapEmpty();
  }

  private Future<String> send(OutboundDelivery delivery) {
    ChannelSender sender = senders.get(delivery.channel());
    Breaker breaker = breakers.get(delivery.channel());
    return breaker.execute(() -> sender.send(delivery)).recover(failure -> Future.failedFuture(classify(delivery,
        failure)));
  }

  private Future<Void> failed(OutboundDelivery delivery, int attempt, Throwable failure) {
    String reason = reason(failure);
    boolean hopeless = failure instanceof CallFailed call && !call.countsAsFailure();
    if (hopeless || attempt >= config.retry().maxAttempts()) {
      LOG.error("Giving up message {} of conversation {} on {} after {} attempt(s): {}", delivery.messageId(),
          delivery.conversationId(), delivery.channel(), attempt, reason);
      stats.of(delivery.channel()).failed().incrementAndGet();
      return store.giveUp(delivery.tenant(), delivery.conversationId(), delivery.messageId(), attempt, reason, now());
    }
    LOG.warn("Send {} of message {} on {} failed: {}; retrying", attempt, delivery.messageId(), delivery.channel(),
        reason);
    stats.of(delivery.channel()).retried().incrementAndGet();
    return store.retryLater(delivery.tenant(), delivery.conversationId(), delivery.messageId(), attempt,
        Backoff.next(config.retry(), attempt, failure, now()), reason, now());
  }

  private static RuntimeException classify(OutboundDelivery delivery, Throwable failure) {
    if (failure instanceof OpenCircuitException) {
      return new CallFailed(delivery.channel() + " is cut off by its circuit breaker", true, null);
    }
    if (failure instanceof io.vertx.circuitbreaker.TimeoutException
        || failure instanceof java.util.concurrent.TimeoutException) {
      return new CallFailed(delivery.channel() + " did not answer in time", true, null);
    }
    if (failure instanceof CallFailed call) {
      return call;
    }
    return new CallFailed(delivery.channel() + " could not be reached (" + reason(failure) + ")", true, null);
  }

  /** A breaker state change into the event log. */
  public Future<Void> recordBreakerState(JsonObject change) {
    return store.recordBreakerState(change.getString("channel"), change.getString("state"), now());
  }

  private static String reason(Throwable failure) {
    return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
