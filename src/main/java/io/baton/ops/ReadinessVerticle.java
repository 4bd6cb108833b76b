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
import io.baton.events.RelayStatus;
import java.time.Duration;
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
  /** External helpdesk (and channel) breakers; none with the built-in helpdesk. */
  private final Breakers breakers;
  private final RelayStatus relay;
  private final Duration maxRelayLag;
  private Redis redis;

  public ReadinessVerticle(Storage storage, RedisConfig redisConfig, Breakers breakers, RelayStatus relay,
      Duration maxRelayLag) {
    this.storage = storage;
    this.redisConfig = redisConfig;
    this.breakers = breakers;
    this.relay = relay;
    this.maxRelayLag = maxRelayLag;
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
      JsonArray failed = new JsonArray();
      for (Future<JsonObject> check : checks) {
        results.add(check.result());
      }
      results.add(relayCheck());
      results.forEach(check -> {
        if ("down".equals(((JsonObject) check).getString("status"))) {
          failed.add(((JsonObject) check).getString("name"));
        }
      });
      breakers.all().forEach(breaker -> results.add(breakerCheck(breaker)));
      return Future.succeededFuture(new JsonObject()
          .put("status", failed.isEmpty() ? "ready" : "not_ready")
          .put("failed", failed)
          .put("checks", results));
    });
  }

  /** The relay reads the log every events.poll_ms; one that has not for a long time serves stale streams. */
  private JsonObject relayCheck() {
    Duration lag = relay.lag();
    boolean up = lag.compareTo(maxRelayLag) <= 0;
    return new JsonObject()
        .put("name", "event_relay")
        .put("status", up ? "up" : "down")
        .put("lag_ms", lag.toMillis())
        .put("detail", up
            ? "read the event log " + lag.toMillis() + " ms ago"
            : "has not read the event log for " + lag.toMillis() + " ms (limit "
                + maxRelayLag.toMillis() + " ms); event streams on this instance are behind");
  }

  /**
   * A circuit breaker, shown but not deciding readiness: while the helpdesk's is open, handoffs are
   * still taken (and their tickets retried), so the instance stays in service; taking it out would
   * move the same failing calls to another instance.
   */
  private static JsonObject breakerCheck(Breakers.Breaker breaker) {
    String state = breaker.state().get();
    return new JsonObject()
        .put("name", breaker.name())
        .put("status", "open".equals(state) ? "down" : "up")
        .put("detail", breaker.detail() + ": circuit breaker " + state.replace('_', '-'))
        .put("breaker", state)
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
