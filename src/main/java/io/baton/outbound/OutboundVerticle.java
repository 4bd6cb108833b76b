package io.baton.outbound;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs due sends every poll interval, one round at a time; while a round finds a full batch, the next
 * starts at once. Every instance runs one; claims keep them apart. Also writes the process's channel
 * breaker changes to the event log, one after the other, in the order they happened.
 */
public final class OutboundVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(OutboundVerticle.class);

  private final OutboundService outbound;
  private final Duration poll;
  private final int batchSize;
  private long timer = -1;
  private boolean running;
  private boolean stopped;
  private Future<Void> breakerWrites = Future.succeededFuture();

  public OutboundVerticle(OutboundService outbound, Duration poll, int batchSize) {
    this.outbound = outbound;
    this.poll = poll;
    this.batchSize = batchSize;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(poll.toMillis(), id -> round());
    return vertx.eventBus().<JsonObject>consumer(OutboundService.BREAKER_CHANGED, change ->
            breakerWrites = breakerWrites.transform(previous -> outbound.recordBreakerState(change.body())
                .onFailure(failure -> LOG.warn("Could not record the {} breaker's change to {}",
                    change.body().getString("channel"), change.body().getString("state"), failure))))
        .completion();
  }

  private void round() {
    if (running || stopped) {
      return;
    }
    running = true;
    outbound.runDue().onComplete(done -> {
      running = false;
      if (done.failed()) {
        LOG.warn("A round of outbound sends failed; the next poll tries again", done.cause());
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
