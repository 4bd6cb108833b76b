package io.baton.operator;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link OperatorSweep} on a timer. One per instance is enough: every instance runs it, and
 * the stores make each escalation and assignment exclusive. A sweep starts only after the previous
 * one finished, so a slow database never has sweeps pile up.
 */
public final class OperatorSweepVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorSweepVerticle.class);

  private final OperatorSweep sweep;
  private final Duration interval;
  private long timer = -1;
  private boolean stopped;

  public OperatorSweepVerticle(OperatorSweep sweep, Duration interval) {
    this.sweep = sweep;
    this.interval = interval;
  }

  @Override
  public Future<?> start() {
    schedule();
    return Future.succeededFuture();
  }

  private void schedule() {
    if (!stopped) {
      timer = vertx.setTimer(interval.toMillis(), id -> sweep.sweep()
          .onFailure(failure -> LOG.warn("Operator sweep failed; the next one retries", failure))
          .onComplete(done -> schedule()));
    }
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
