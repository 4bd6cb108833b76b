package io.baton.helpdesk.adapters;

import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.config.BatonConfig.BreakerConfig;
import io.baton.handoff.TicketOpener.TicketRef;
import io.baton.helpdesk.TicketRequest;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.circuitbreaker.TimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An external helpdesk behind a circuit breaker, one per process. Failures that say the helpdesk is
 * unwell count towards opening it; an answer that says the request was wrong (a 4xx other than 408
 * and 429) fails the call without counting. State changes are logged and published on
 * {@link #STATE_CHANGED}; readiness shows the state.
 */
public final class GuardedAdapter implements HelpdeskAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(GuardedAdapter.class);
  /** Published on every state change: {@code {helpdesk, state, at}}. */
  public static final String STATE_CHANGED = "helpdesk.evt.breaker_state";

  /** The breaker sees a rejected request as a successful call; the rejection is rethrown after it. */
  private record Outcome(TicketRef ref, HelpdeskCallFailed rejected) {
  }

  private final HelpdeskAdapter inner;
  private final CircuitBreaker breaker;

  public GuardedAdapter(Vertx vertx, HelpdeskAdapter inner, BreakerConfig config, Clock clock) {
    this.inner = inner;
    this.breaker = CircuitBreaker.create("helpdesk-" + inner.name(), vertx, new CircuitBreakerOptions()
        .setTimeout(config.callTimeout().toMillis())
        .setMaxFailures(config.failureThreshold())
        .setFailuresRollingWindow(config.rollingWindow().toMillis())
        .setResetTimeout(config.resetTimeout().toMillis())
        .setMaxRetries(0)
        .setFallbackOnFailure(false));
    breaker.openHandler(v -> changed(vertx, "open", clock))
        .halfOpenHandler(v -> changed(vertx, "half_open", clock))
        .closeHandler(v -> changed(vertx, "closed", clock));
  }

  private void changed(Vertx vertx, String state, Clock clock) {
    if ("open".equals(state)) {
      LOG.warn("Helpdesk {}: circuit breaker open after {} failures; calls fail at once until a probe succeeds",
          inner.name(), breaker.failureCount());
    } else {
      LOG.info("Helpdesk {}: circuit breaker {}", inner.name(), state.replace('_', '-'));
    }
    vertx.eventBus().publish(STATE_CHANGED, new JsonObject()
        .put("helpdesk", inner.name()).put("state", state).put("at", clock.instant().toString()));
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public boolean needsExclusiveCalls() {
    return inner.needsExclusiveCalls();
  }

  /** closed, open or half_open. */
  public String state() {
    CircuitBreakerState state = breaker.state();
    return state.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public Future<TicketRef> open(TicketRequest request) {
    return breaker.<Outcome>execute(() -> inner.open(request)
            .map(ref -> new Outcome(ref, null))
            .recover(failure -> failure instanceof HelpdeskCallFailed call && !call.countsAsFailure()
                ? Future.succeededFuture(new Outcome(null, call))
                : Future.failedFuture(failure)))
        .recover(failure -> Future.failedFuture(classify(failure)))
        .compose(outcome -> outcome.rejected() == null
            ? Future.succeededFuture(outcome.ref())
            : Future.failedFuture(outcome.rejected()));
  }

  private RuntimeException classify(Throwable failure) {
    if (failure instanceof OpenCircuitException) {
      return new HelpdeskCallFailed(inner.name() + " is cut off by its circuit breaker", true, null);
    }
    if (failure instanceof TimeoutException || failure instanceof java.util.concurrent.TimeoutException) {
      return new HelpdeskCallFailed(inner.name() + " did not answer in time", true, null);
    }
    if (failure instanceof HelpdeskCallFailed call) {
      return call;
    }
    if (failure instanceof BatonException known && known.error() != BatonError.INTERNAL) {
      return known;
    }
    return new HelpdeskCallFailed(inner.name() + " could not be reached", true, null);
  }
}
