package io.baton.api;

import io.baton.bus.Addresses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The handoffs tag of the contract: HTTP in, a bus command out, the reply back. */
final class HandoffApi {

  private final BusCalls bus;

  HandoffApi(BusCalls bus) {
    this.bus = bus;
  }

  void check(RoutingContext ctx) {
    bus.respond(ctx, Addresses.HANDOFF_CHECK, Requests.body(ctx));
  }

  void create(RoutingContext ctx) {
    JsonObject command = new JsonObject()
        .put("body", Requests.body(ctx))
        .put("idempotency_key", ctx.request().getHeader("Idempotency-Key"));
    bus.respond(ctx, Addresses.HANDOFF_CREATE, command);
  }

  void get(RoutingContext ctx) {
    bus.respond(ctx, Addresses.HANDOFF_GET, new JsonObject().put("handoff_id", ctx.pathParam("handoff_id")));
  }

  void list(RoutingContext ctx) {
    bus.respond(ctx, Addresses.HANDOFF_LIST, Requests.query(ctx));
  }

  void cancel(RoutingContext ctx) {
    bus.respond(ctx, Addresses.HANDOFF_CANCEL, new JsonObject().put("handoff_id", ctx.pathParam("handoff_id")));
  }
}
