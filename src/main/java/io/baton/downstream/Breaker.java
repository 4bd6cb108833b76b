package io.baton.downstream;

import io.baton.config.BatonConfig.BreakerConfig;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A circuit breaker around the calls to one downstream service, one per process. A {@link CallFailed}
 * that does not count (the request was wrong) fails the call without counting towards opening it.
 * State changes are logged and published on {@code stateAddress} as {@code {<kind>: name, state, at}},
 * where whoever keeps the event log writes them.
 */
public final class Breaker {

  private static final Logger LOG = LoggerFactory.getLogger(Breaker.class);

  /** The breaker sees a rejected request as a successful call; the rejection is rethrown after it. */
  private record Outcome<T>(T value, CallFailed rejected) {
  }

  private final String name;
  private final CircuitBreaker breaker;

  /** {@code kind} names the service's field in the state messages ("helpdesk", "channel"). */
  public Breaker(Vertx vertx, String kind, String name, BreakerConfig config, String stateAddress, Clock clock) {
    this.name = name;
    this.breaker = CircuitBreaker.create(kind + "-" + name, vertx, new CircuitBreakerOptions()
        .setTimeout(config.callTimeout().toMillis())
        .setMaxFailures(config.failureThreshold())
        .setFailuresRollingWindow(config.rollingWindow().toMillis())
        .setResetTimeout(config.resetTimeout().toMillis())
        .setMaxRetries(0)
        .setFallbackOnFailure(false));
    breaker.openHandler(v -> changed(vertx, kind, "open", stateAddress, clock))
        .halfOpenHandler(v -> changed(vertx, kind, "half_open", stateAddress, clock))
        .closeHandler(v -> changed(vertx, kind, "closed", stateAddress, clock));
  }

  private void changed(Vertx vertx, String kind, String state, String stateAddress, Clock clock) {
    if ("open".equals(state)) {
      LOG.warn("{} {}: circuit breaker open after {} failures; calls fail at once until a probe succeeds",
          kind, name, breaker.failureCount());
    } else {
      LOG.info("{} {}: circuit breaker {}", kind, name, state.replace('_', '-'));
    }
    vertx.eventBus().publish(stateAddress, new JsonObject()
        .put(kind, name).put("state", state).put("at", clock.instant().toString()));
  }

  /** closed, open or half_open. */
  public String state() {
    CircuitBreakerState state = breaker.state();
    return state.name().toLowerCase(Locale.ROOT);
  }

  /**
   * Runs {@code call} through the breaker. Failures come back as the breaker reports them
   * ({@code OpenCircuitException}, its {@code TimeoutException}) or as the call failed; a
   * non-counting {@link CallFailed} comes back as it was thrown.
   */
  public <T> Future<T> execute(Supplier<Future<T>> call) {
    return breaker.<Outcome<T>>execute(() -> call.get()
            .map(value -> new Outcome<T>(value, null))
            .recover(failure -> failure instanceof CallFailed rejected && !rejected.countsAsFailure()
                ? Future.succeededFuture(new Outcome<T>(null, rejected))
                : Future.failedFuture(failure)))
        .compose(outcome -> outcome.rejected() == null
            ? Future.succeededFuture(outcome.value())
            : Future.failedFuture(outcome.rejected()));
  }
}
