package io.baton.api;

import io.baton.bus.Addresses;
import io.baton.bus.Nearby;
import io.baton.bus.Failures;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Channel webhooks. Their bodies are signed over the exact bytes received, so these routes run
 * without the contract's validation (which would parse the JSON first) and hand the raw bytes to
 * the ingest capability, which checks the signature before anything is parsed. The handshakes are
 * unvalidated too: Meta expects 400 (not 422) for missing {@code hub.*} parameters.
 */
final class IngestApi {

  static final String RECEIVED = new JsonObject().put("status", "received").encode();

  private final BusCalls bus;
  private final EventBus eventBus;
  private final long timeoutMillis;

  IngestApi(BusCalls bus, EventBus eventBus, Duration timeout) {
    this.bus = bus;
    this.eventBus = eventBus;
    this.timeoutMillis = timeout.toMillis();
  }

  /** Operations whose handler reads the raw body and the query itself: no contract validation. */
  static final Set<String> RAW = Set.of(
      "verifyWhatsAppWebhook", "receiveWhatsAppWebhook", "verifyWebhook", "receiveWebhook",
      "verifyMessengerWebhook", "receiveMessengerWebhook", "twitterCrc", "receiveTwitterWebhook");

  Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
        "verifyWhatsAppWebhook", ctx -> verifyMeta(ctx, "whatsapp"),
        "receiveWhatsAppWebhook", ctx -> receive(ctx, "whatsapp", "X-Hub-Signature-256"),
        "verifyWebhook", ctx -> verifyMeta(ctx, "whatsapp"),
        "receiveWebhook", ctx -> receive(ctx, "whatsapp", "X-Hub-Signature-256"),
        "verifyMessengerWebhook", ctx -> verifyMeta(ctx, "messenger"),
        "receiveMessengerWebhook", ctx -> receive(ctx, "messenger", "X-Hub-Signature-256"),
        "twitterCrc", this::crc,
        "receiveTwitterWebhook", ctx -> receive(ctx, "twitter", "x-twitter-webhooks-signature"),
        "chatbotHandoff", this::chatbot,
        "stats", ctx -> bus.respond(ctx, Addresses.INGEST_STATS, new JsonObject()));
  }

  private void verifyMeta(RoutingContext ctx, String channel) {
    JsonObject command = new JsonObject()
        .put("channel", channel)
        .put("mode", ctx.request().getParam("hub.mode"))
        .put("verify_token", ctx.request().getParam("hub.verify_token"))
        .put("challenge", ctx.request().getParam("hub.challenge"));
    bus.request(ctx, Addresses.INGEST_VERIFY, command).onComplete(done -> {
      if (done.succeeded()) {
        // The challenge, byte for byte, as plain text.
        ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(done.result().getString("challenge"));
      } else {
        Problems.write(ctx, Failures.classify(done.cause()));
      }
    });
  }

  private void crc(RoutingContext ctx) {
    bus.respond(ctx, Addresses.INGEST_VERIFY,
        new JsonObject().put("channel", "twitter").put("crc_token", ctx.request().getParam("crc_token")));
  }

  private void receive(RoutingContext ctx, String channel, String signatureHeader) {
    Buffer raw = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(timeoutMillis)
        .addHeader(Addresses.REQUEST_ID_HEADER, RequestIds.of(ctx))
        .addHeader(Addresses.CHANNEL_HEADER, channel);
    String signature = ctx.request().getHeader(signatureHeader);
    if (signature != null) {
      options.addHeader(Addresses.SIGNATURE_HEADER, signature);
    }
    Nearby.<JsonObject>request(eventBus, Addresses.INGEST_RECEIVE, raw, options).map(Message::body).onComplete(done -> {
      if (done.succeeded()) {
        ctx.response().putHeader("Content-Type", "application/json").end(RECEIVED);
      } else {
        Problems.write(ctx, Failures.classify(done.cause()));
      }
    });
  }

  private void chatbot(RoutingContext ctx) {
    bus.respond(ctx, Addresses.INGEST_CHATBOT, new JsonObject()
        .put("secret", ctx.request().getHeader("X-Chatbot-Secret"))
        .put("body", ctx.body().asJsonObject()));
  }
}
