package io.baton.api;

import io.baton.bus.Addresses;
import io.baton.bus.Failures;
import io.baton.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/** Sends a request's command over the bus and answers the HTTP exchange with the reply. */
final class BusCalls {

  private final EventBus bus;
  private final long timeoutMillis;

  BusCalls(EventBus bus, Duration timeout) {
    this.bus = bus;
    this.timeoutMillis = timeout.toMillis();
  }

  Future<JsonObject> request(RoutingContext ctx, String address, JsonObject command) {
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(timeoutMillis)
        .addHeader(Addresses.REQUEST_ID_HEADER, RequestIds.of(ctx))
        // The one place a caller's tenant joins its command; capabilities read it with BusHandlers.tenant.
        .addHeader(Addresses.TENANT_HEADER, Principal.tenantOf(ctx));
    return bus.<JsonObject>request(address, command, options).map(Message::body);
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
