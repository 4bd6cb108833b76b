package io.baton.ops;

import io.baton.bus.Addresses;
import io.baton.bus.BusHandlers;
import io.baton.config.BatonConfig.RedisConfig;
import io.baton.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Answers readiness: one check per dependency, each bounded by a timeout. */
public final class ReadinessVerticle extends VerticleBase {

  /** A dependency that takes longer than this to answer a ping is reported down. */
  static final long CHECK_TIMEOUT_MS = 2_000;

  private final Storage storage;
  private final RedisConfig redisConfig;
  /** {@code <helpdesk>:<breaker state>} of an external helpdesk; null with the built-in one. */
  private final Supplier<String> helpdesk;
  private Redis redis;

  public ReadinessVerticle(Storage storage, RedisConfig redisConfig, Supplier<String> helpdesk) {
    this.storage = storage;
    this.redisConfig = redisConfig;
    this.helpdesk = helpdesk;
  }

  @Override
  public Future<?> start() {
    if (redisConfig.configured()) {
      redis = Redis.createClient(vertx, redisConfig.url());
    }
    return BusHandlers.serve(vertx.eventBus(), Addresses.OPS_READINESS, message -> report()).completion();
  }

  @Override
  public Future<?> stop() {
    if (redis != null) {
      redis.close();
    }
    return Future.succeededFuture();
  }

  Future<JsonObject> report() {
    List<Future<JsonObject>> checks = new ArrayList<>();
    checks.add(check("database", storage.name(), () -> storage.handoffs().ping()));
    if (redis != null) {
      checks.add(check("redis", "redis", () -> redis.send(Request.cmd(Command.PING)).mapEmpty()));
    }
    return Future.join(checks).transform(done -> {
      JsonArray results = new JsonArray();
      boolean allUp = true;
      for (Future<JsonObject> check : checks) {
        results.add(check.result());
        allUp &= "up".equals(check.result().getString("status"));
      }
      if (helpdesk != null) {
        results.add(helpdeskCheck());
      }
      return Future.succeededFuture(new JsonObject()
          .put("status", allUp ? "ready" : "not_ready")
          .put("checks", results));
    });
  }

  /**
   * An external helpdesk's circuit breaker, shown but not deciding readiness: while it is open,
   * handoffs are still taken (and their tickets retried), so the instance stays in service.
   */
  private JsonObject helpdeskCheck() {
    String[] nameAndState = helpdesk.get().split(":", 2);
    return new JsonObject()
        .put("name", "helpdesk")
        .put("status", "open".equals(nameAndState[1]) ? "down" : "up")
        .put("detail", nameAndState[0] + ": circuit breaker " + nameAndState[1].replace('_', '-'))
        .put("breaker", nameAndState[1])
        .put("affects_readiness", false);
  }

  private Future<JsonObject> check(String name, String kind, Supplier<Future<Void>> probe) {
    long started = System.nanoTime();
    return Future.<Void>succeededFuture()
        .compose(v -> probe.get())
        .timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .transform(done -> {
          JsonObject result = new JsonObject()
              .put("name", name)
              .put("status", done.succeeded() ? "up" : "down")
              .put("latency_ms", (System.nanoTime() - started) / 1_000_000.0)
              .put("detail", done.succeeded() ? kind : kind + ": " + done.cause().getMessage());
          return Future.succeededFuture(result);
        });
  }
}
