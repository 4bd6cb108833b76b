package io.baton.api;

import io.baton.bus.Addresses;
import io.baton.bus.Failures;
import io.baton.bus.Nearby;
import io.baton.security.Principal;
import io.baton.ops.LogIds;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;

/** Sends a request's command over the bus and answers the HTTP exchange with the reply. */
final class BusCalls {

  private final EventBus bus;
  private final long timeoutMillis;

  BusCalls(EventBus bus, Duration timeout) {
    this.bus = bus;
    this.timeoutMillis = timeout.toMillis();
  }

  /**
   * The one place HTTP sends commands: the request's log ids (request, and the handoff and conversation
   * it names in its path or command, or learns from the answer) go along as headers and are kept for
   * the request's later log lines.
   */
  Future<JsonObject> request(RoutingContext ctx, String address, JsonObject command) {
    LogIds.put(LogIds.HANDOFF_ID, ctx.pathParam("handoff_id"));
    LogIds.put(LogIds.CONVERSATION_ID, ctx.pathParam("conversation_id"));
    LogIds.from(command);
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(timeoutMillis)
        .addHeader(Addresses.REQUEST_ID_HEADER, RequestIds.of(ctx))
        // The one place a caller's tenant joins its command; capabilities read it with BusHandlers.tenant.
        .addHeader(Addresses.TENANT_HEADER, Principal.tenantOf(ctx));
    for (String key : List.of(LogIds.HANDOFF_ID, LogIds.CONVERSATION_ID)) {
      String id = LogIds.get(key);
      if (id != null) {
        options.addHeader(LogIds.HEADERS.get(key), id);
      }
    }
    return Nearby.<JsonObject>request(bus, address, command, options).map(reply -> {
      LogIds.from(reply.body());
      return reply.body();
    });
  }

  /** Answers 200 with the reply's JSON, or the problem its failure maps to. */
  void respond(RoutingContext ctx, String address, JsonObject command) {
    request(ctx, address, command).onComplete(done -> {
      if (done.succeeded()) {
        ctx.response().putHeader("Content-Type", "application/json").end(done.result().toBuffer());
      } else {
        Problems.write(ctx, Failures.classify(done.cause()));
      }
    });
  }
}
