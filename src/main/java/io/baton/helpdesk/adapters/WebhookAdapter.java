package io.baton.helpdesk.adapters;

import io.baton.config.BatonConfig.WebhookConfig;
import io.baton.handoff.TicketOpener.TicketRef;
import io.baton.helpdesk.TicketRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;

/**
 * A signed webhook per ticket (Standard Webhooks). {@code webhook-id} is derived from the handoff
 * id, the same on every retry, so the receiver can make one ticket of any number of deliveries.
 * The receiver may answer {@code {ticket_id, ticket_url}}; without, the handoff id is the ticket id.
 */
public final class WebhookAdapter implements HelpdeskAdapter {

  static final String EVENT_TYPE = "ticket.requested";

  private final WebClient client;
  private final WebhookConfig config;
  private final Duration timeout;
  private final Clock clock;

  public WebhookAdapter(WebClient client, WebhookConfig config, Duration timeout, Clock clock) {
    this.client = client;
    this.config = config;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public Future<TicketRef> open(TicketRequest request) {
    JsonObject requester = new JsonObject().put("name", request.requesterName())
        .put("email", request.requesterEmail()).put("phone", request.requesterPhone());
    Buffer body = new JsonObject()
        .put("type", EVENT_TYPE)
        .put("timestamp", clock.instant().toString())
        .put("data", new JsonObject()
            .put("external_id", request.handoffId())
            .put("conversation_id", request.conversationId())
            .put("subject", request.subject())
            .put("description", request.description())
            .put("requester", requester)
            .put("priority", request.zendeskPriority())
            .put("tags", new JsonArray(request.tags())))
        .toBuffer();
    String id = "msg_" + request.handoffId();
    long timestamp = clock.instant().getEpochSecond();
    return client.postAbs(config.url())
        .putHeader("Content-Type", "application/json")
        .putHeader("webhook-id", id)
        .putHeader("webhook-timestamp", Long.toString(timestamp))
        .putHeader("webhook-signature", StandardWebhooks.sign(config.secret(), id, timestamp, body.getBytes()))
        .timeout(timeout.toMillis())
        .sendBuffer(body)
        .map(response -> {
          if (response.statusCode() / 100 != 2) {
            throw HelpdeskCallFailed.ofStatus("The webhook", response.statusCode(), response.getHeader("Retry-After"));
          }
          JsonObject answer = response.body() == null || response.body().length() == 0 ? new JsonObject()
              : tryJson(response.body());
          return new TicketRef(answer.getString("ticket_id", request.handoffId()), answer.getString("ticket_url"));
        });
  }

  private static JsonObject tryJson(Buffer body) {
    try {
      return body.toJsonObject();
    } catch (RuntimeException notJson) {
      return new JsonObject();
    }
  }
}
