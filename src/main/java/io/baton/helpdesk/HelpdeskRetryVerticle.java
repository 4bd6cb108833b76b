package io.baton.helpdesk;

import io.baton.helpdesk.adapters.GuardedAdapter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs due ticket retries every poll interval, one round at a time; while a round finds a full
 * batch, the next starts at once. Every instance runs one; claims keep them apart.
 */
public final class HelpdeskRetryVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HelpdeskRetryVerticle.class);

  private final TicketRetries retries;
  private final Duration poll;
  private final int batchSize;
  private long timer = -1;
  private boolean running;
  private boolean stopped;

  /** The latest breaker change written (or being written) to the event log. */
  private Future<Void> breakerWrites = Future.succeededFuture();

  public HelpdeskRetryVerticle(TicketRetries retries, Duration poll, int batchSize) {
    this.retries = retries;
    this.poll = poll;
    this.batchSize = batchSize;
  }

  /** Also writes the process's breaker state changes to the event log, where streams see them. */
  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(poll.toMillis(), id -> round());
    // One write after the other, so that the log has the changes in the order they happened.
    return vertx.eventBus().<JsonObject>consumer(GuardedAdapter.STATE_CHANGED, change ->
            breakerWrites = breakerWrites.transform(previous -> retries.recordBreakerState(change.body())
                .onFailure(failure -> LOG.warn("Could not record the helpdesk breaker's change to {}",
                    change.body().getString("state"), failure))))
        .completion();
  }

  private void round() {
    if (running || stopped) {
      return;
    }
    running = true;
    retries.runDue().onComplete(done -> {
      running = false;
      if (done.failed()) {
        LOG.warn("A round of ticket retries failed; the next poll tries again", done.cause());
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
