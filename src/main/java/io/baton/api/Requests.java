package io.baton.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.ValidatedRequest;

/** What a handler reads of a request that the contract has already validated. */
final class Requests {

  private Requests() {
  }

  /** The validated JSON body; an empty object when an optional body was not sent. */
  static JsonObject body(RoutingContext ctx) {
    JsonObject body = ctx.get(JsonBodyValidation.VALIDATED_BODY);
    return body == null ? new JsonObject() : body;
  }

  /** The query parameters that were sent, converted to the contract's types. */
  static JsonObject query(RoutingContext ctx) {
    JsonObject query = new JsonObject();
    ValidatedRequest validated = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    validated.getQuery().forEach((name, value) -> {
      if (value != null && !value.isNull()) {
        query.put(name, value.get());
      }
    });
    return query;
  }
}
