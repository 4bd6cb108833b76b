package io.baton.downstream;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable work done in rounds (the retries of a downstream: helpdesk tickets, channel sends; the
 * re-buffering of stored messages for the bot): runs a round of due work every poll interval, one
 * round at a time; while a round finds a full batch, the next starts at once. Every instance runs
 * one; claims keep them apart. For a downstream it also writes the process's breaker changes,
 * published on {@code breakerAddress}, to the event log one after the other, in the order they
 * happened.
 */
public final class DueWorkVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DueWorkVerticle.class);

  private final String what;
  private final Supplier<Future<Integer>> runDue;
  private final String breakerAddress;
  private final Function<JsonObject, Future<Void>> recordBreakerState;
  private final Duration poll;
  private final int batchSize;
  private long timer = -1;
  private boolean running;
  private boolean stopped;
  /** The latest breaker change written (or being written) to the event log. */
  private Future<Void> breakerWrites = Future.succeededFuture();

  /** {@code what} names the work in logs; {@code runDue} answers how many items a round claimed. */
  public DueWorkVerticle(String what, Supplier<Future<Integer>> runDue, String breakerAddress,
      Function<JsonObject, Future<Void>> recordBreakerState, Duration poll, int batchSize) {
    this.what = what;
    this.runDue = runDue;
    this.breakerAddress = breakerAddress;
    this.recordBreakerState = recordBreakerState;
    this.poll = poll;
    this.batchSize = batchSize;
  }

  /** Work without a breaker of its own. */
  public DueWorkVerticle(String what, Supplier<Future<Integer>> runDue, Duration poll, int batchSize) {
    this(what, runDue, null, null, poll, batchSize);
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(poll.toMillis(), id -> round());
    if (breakerAddress == null) {
      return Future.succeededFuture();
    }
    return vertx.eventBus().<JsonObject>consumer(breakerAddress, change ->
            breakerWrites = breakerWrites.transform(previous -> recordBreakerState.apply(change.body())
                .onFailure(failure -> LOG.warn("Could not record a breaker change of {} ({})", what,
                    change.body().encode(), failure))))
        .completion();
  }

  private void round() {
    if (running || stopped) {
      return;
    }
    running = true;
    runDue.get().onComplete(done -> {
      running = false;
      if (done.failed()) {
        LOG.warn("A round of {} failed; the next poll tries again", what, done.cause());
      } else if (done.result() >= batchSize) {
        vertx.runOnContext(v -> round());
      }
    });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
