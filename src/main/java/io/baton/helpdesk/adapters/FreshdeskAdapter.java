package io.baton.helpdesk.adapters;

import io.baton.config.BatonConfig.FreshdeskConfig;
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
 * Freshdesk: {@code POST /api/v2/tickets}, status 2 (open), the handoff id as
 * {@code unique_external_id}; a retry first lists the tickets with that id.
 */
public final class FreshdeskAdapter implements HelpdeskAdapter {

  static final String TICKETS = "/api/v2/tickets";
  static final int STATUS_OPEN = 2;

  private final WebClient client;
  private final FreshdeskConfig config;
  private final String authorization;
  private final Duration timeout;

  public FreshdeskAdapter(WebClient client, FreshdeskConfig config, Duration timeout) {
    this.client = client;
    this.config = config;
    this.timeout = timeout;
    this.authorization = "Basic " + Base64.getEncoder().encodeToString(
        (config.apiKey() + ":X").getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String name() {
    return "freshdesk";
  }

  @Override
  public Future<TicketRef> open(TicketRequest request) {
    if (!request.lookupFirst()) {
      return create(request);
    }
    return client.getAbs(config.baseUrl() + TICKETS)
        .addQueryParam("unique_external_id", request.handoffId())
        .putHeader("Authorization", authorization)
        .timeout(timeout.toMillis())
        .send()
        .compose(response -> {
          check(response);
          JsonArray found = response.bodyAsJsonArray();
          return found == null || found.isEmpty() ? create(request)
              : Future.succeededFuture(ref(found.getJsonObject(0)));
        });
  }

  private Future<TicketRef> create(TicketRequest request) {
    JsonObject body = new JsonObject()
        .put("subject", request.subject())
        .put("description", request.description())
        .put("name", request.requesterName())
        .put("unique_external_id", request.handoffId())
        .put("priority", request.freshdeskPriority())
        .put("status", STATUS_OPEN)
        .put("tags", new JsonArray(request.tags()));
    if (request.requesterEmail() != null) {
      body.put("email", request.requesterEmail());
    } else if (request.requesterPhone() != null) {
      body.put("phone", request.requesterPhone());
    }
    return client.postAbs(config.baseUrl() + TICKETS)
        .putHeader("Authorization", authorization)
        .timeout(timeout.toMillis())
        .sendJsonObject(body)
        .map(response -> {
          check(response);
          return ref(response.bodyAsJsonObject());
        });
  }

  private TicketRef ref(JsonObject ticket) {
    String id = String.valueOf(ticket.getValue("id"));
    return new TicketRef(id, config.baseUrl() + "/a/tickets/" + id);
  }

  private static void check(HttpResponse<Buffer> response) {
    if (response.statusCode() / 100 != 2) {
      throw HelpdeskCallFailed.ofStatus("Freshdesk", response.statusCode(), response.getHeader("Retry-After"));
    }
  }
}
