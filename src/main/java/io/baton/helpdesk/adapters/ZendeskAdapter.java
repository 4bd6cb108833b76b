package io.baton.helpdesk.adapters;

import io.baton.config.BatonConfig.ZendeskConfig;
import io.baton.handoff.TicketOpener.TicketRef;
import io.baton.helpdesk.TicketRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Zendesk: {@code POST /api/v2/tickets}, the handoff id as {@code external_id}; a retry first looks
 * the ticket up by that id ({@code GET /api/v2/tickets?external_id=}), so a call that had in fact
 * succeeded is found instead of made twice.
 */
public final class ZendeskAdapter implements HelpdeskAdapter {

  static final String TICKETS = "/api/v2/tickets";

  private final WebClient client;
  private final ZendeskConfig config;
  private final String authorization;
  private final Duration timeout;

  public ZendeskAdapter(WebClient client, ZendeskConfig config, Duration timeout) {
    this.client = client;
    this.config = config;
    this.timeout = timeout;
    this.authorization = "Basic " + Base64.getEncoder().encodeToString(
        (config.email() + "/token:" + config.apiToken()).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String name() {
    return "zendesk";
  }

  @Override
  public Future<TicketRef> open(TicketRequest request) {
    if (!request.lookupFirst()) {
      return create(request);
    }
    return client.getAbs(config.baseUrl() + TICKETS)
        .addQueryParam("external_id", request.handoffId())
        .putHeader("Authorization", authorization)
        .timeout(timeout.toMillis())
        .send()
        .compose(response -> {
          check(response);
          JsonArray found = response.bodyAsJsonObject().getJsonArray("tickets", new JsonArray());
          return found.isEmpty() ? create(request) : Future.succeededFuture(ref(found.getJsonObject(0)));
        });
  }

  private Future<TicketRef> create(TicketRequest request) {
    JsonObject requester = new JsonObject().put("name", request.requesterName());
    if (request.requesterEmail() != null) {
      requester.put("email", request.requesterEmail());
    }
    JsonObject body = new JsonObject().put("ticket", new JsonObject()
        .put("subject", request.subject())
        .put("comment", new JsonObject().put("body", request.description()).put("public", false))
        .put("requester", requester)
        .put("priority", request.zendeskPriority())
        .put("tags", new JsonArray(request.tags()))
        .put("external_id", request.handoffId()));
    return client.postAbs(config.baseUrl() + TICKETS)
        .putHeader("Authorization", authorization)
        .timeout(timeout.toMillis())
        .sendJsonObject(body)
        .map(response -> {
          check(response);
          return ref(response.bodyAsJsonObject().getJsonObject("ticket"));
        });
  }

  private static TicketRef ref(JsonObject ticket) {
    return new TicketRef(String.valueOf(ticket.getValue("id")), ticket.getString("url"));
  }

  private static void check(HttpResponse<Buffer> response) {
    if (response.statusCode() / 100 != 2) {
      throw HelpdeskCallFailed.ofStatus("Zendesk", response.statusCode(), response.getHeader("Retry-After"));
    }
  }
}
