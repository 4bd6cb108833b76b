package io.baton.api;

import io.baton.BuildInfo;
import io.baton.bus.Addresses;
import io.baton.bus.Failures;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/** Liveness and readiness. */
final class OpsApi {

  private final BusCalls bus;

  OpsApi(BusCalls bus) {
    this.bus = bus;
  }

  void health(RoutingContext ctx) {
    JsonObject body = new JsonObject()
        .put("status", "ok")
        .put("timestamp", Instant.now().toString())
        .put("service", "baton")
        .put("version", BuildInfo.VERSION);
    ctx.response().putHeader("Content-Type", "application/json").end(body.toBuffer());
  }

  /** The process's meters, rendered by the metrics verticle: scrapes never touch a store. */
  void metrics(RoutingContext ctx) {
    bus.request(ctx, Addresses.OPS_METRICS, new JsonObject()).onComplete(done -> {
      if (done.succeeded()) {
        ctx.response()
            .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .end(done.result().getString("text", ""));
      } else {
        Problems.write(ctx, Failures.classify(done.cause()));
      }
    });
  }

  void ready(RoutingContext ctx) {
    bus.request(ctx, Addresses.OPS_READINESS, new JsonObject())
        .otherwise(failure -> new JsonObject()
            .put("status", "not_ready")
            .put("checks", new JsonArray().add(new JsonObject()
                .put("name", "service").put("status", "down").put("detail", "readiness check did not answer"))))
        .onSuccess(report -> ctx.response()
            .setStatusCode("ready".equals(report.getString("status")) ? 200 : 503)
            .putHeader("Content-Type", "application/json")
            .end(report.toBuffer()));
  }
}
