package io.baton.api;

import io.baton.bus.Addresses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.Map;

/** The handoffs tag of the contract: HTTP in, a bus command out, the reply back. */
final class HandoffApi {

  private final BusCalls bus;

  HandoffApi(BusCalls bus) {
    this.bus = bus;
  }

  void check(RoutingContext ctx) {
    bus.respond(ctx, Addresses.HANDOFF_CHECK, body(ctx));
  }

  void create(RoutingContext ctx) {
    JsonObject command = new JsonObject()
        .put("body", body(ctx))
        .put("idempotency_key", ctx.request().getHeader("Idempotency-Key"));
    bus.respond(ctx, Addresses.HANDOFF_CREATE, command);
  }

  void get(RoutingContext ctx) {
    bus.respond(ctx, Addresses.HANDOFF_GET, new JsonObject().put("handoff_id", ctx.pathParam("handoff_id")));
  }

  void list(RoutingContext ctx) {
    JsonObject query = new JsonObject();
    Map<String, RequestParameter> params = validated(ctx).getQuery();
    params.forEach((name, value) -> {
      if (value != null && !value.isNull()) {
        query.put(name, value.get());
      }
    });
    bus.respond(ctx, Addresses.HANDOFF_LIST, query);
  }

  void cancel(RoutingContext ctx) {
    bus.respond(ctx, Addresses.HANDOFF_CANCEL, new JsonObject().put("handoff_id", ctx.pathParam("handoff_id")));
  }

  private static JsonObject body(RoutingContext ctx) {
    return ctx.get(JsonBodyValidation.VALIDATED_BODY);
  }

  private static ValidatedRequest validated(RoutingContext ctx) {
    return ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
  }
}
