package io.baton.helpdesk.adapters;

import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.config.BatonConfig.BreakerConfig;
import io.baton.downstream.Breaker;
import io.baton.handoff.TicketOpener.TicketRef;
import io.baton.helpdesk.TicketRequest;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.circuitbreaker.TimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * An external helpdesk behind a circuit breaker, one per process. Failures that say the helpdesk is
 * unwell count towards opening it; an answer that says the request was wrong (a 4xx other than 408
 * and 429) fails the call without counting. State changes are logged and published on
 * {@link #STATE_CHANGED}; readiness shows the state.
 */
public final class GuardedAdapter implements HelpdeskAdapter {

  /** Published on every state change: {@code {helpdesk, state, at}}. */
  public static final String STATE_CHANGED = "helpdesk.evt.breaker_state";

  private final HelpdeskAdapter inner;
  private final Breaker breaker;

  public GuardedAdapter(Vertx vertx, HelpdeskAdapter inner, BreakerConfig config, Clock clock) {
    this.inner = inner;
    this.breaker = new Breaker(vertx, "helpdesk", inner.name(), config, STATE_CHANGED, clock);
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
    return breaker.state();
  }

  @Override
  public Future<TicketRef> open(TicketRequest request) {
    return breaker.execute(() -> inner.open(request)).recover(failure -> Future.failedFuture(classify(failure)));
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
