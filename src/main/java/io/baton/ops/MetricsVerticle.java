package io.baton.ops;

import io.baton.bus.Addresses;
import io.baton.bus.BusHandlers;
import io.baton.events.Event;
import io.baton.events.EventBatch;
import io.baton.operator.OperatorStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the meters that need the bus or the store, and answers scrapes. Handoff lifecycle counters
 * follow the relay's events, so they count committed transitions, whichever instance made them.
 * Queue gauges are read from the store every {@code queueSample}, one query at a time, off the
 * request path: a scrape never waits for the database.
 */
public final class MetricsVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MetricsVerticle.class);
  private static final String HANDOFF_PREFIX = "handoff.";

  private final Metrics metrics;
  private final OperatorStore store;
  private final Duration queueSample;
  private final Clock clock;
  private MessageConsumer<EventBatch> events;
  private long timer = -1;
  /** Atomic: the store may answer on another event loop than this verticle's. */
  private final AtomicBoolean sampling = new AtomicBoolean();

  public MetricsVerticle(Metrics metrics, OperatorStore store, Duration queueSample, Clock clock) {
    this.metrics = metrics;
    this.store = store;
    this.queueSample = queueSample;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    // Local: every instance's relay publishes every event to its own process only.
    events = vertx.eventBus().<EventBatch>localConsumer(Addresses.EVENTS_APPENDED, message -> {
      for (Event event : message.body().events()) {
        if (event.type().startsWith(HANDOFF_PREFIX)) {
          metrics.handoff(event.type().substring(HANDOFF_PREFIX.length()));
        }
      }
    });
    timer = vertx.setPeriodic(0, queueSample.toMillis(), id -> sample());
    return Future.all(events.completion(),
        BusHandlers.serve(vertx.eventBus(), Addresses.OPS_METRICS,
            message -> Future.succeededFuture(new JsonObject().put("text", metrics.scrape()))).completion());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return events == null ? Future.succeededFuture() : events.unregister();
  }

  /** One sample at a time: a slow store skips samples instead of stacking queries. */
  private void sample() {
    if (!sampling.compareAndSet(false, true)) {
      return;
    }
    store.queueDepths()
        .timeout(Math.max(1, queueSample.toMillis()), TimeUnit.MILLISECONDS)
        .onComplete(done -> {
          sampling.set(false);
          if (done.succeeded()) {
            Instant now = clock.instant();
            metrics.queues(done.result().stream().map(depth -> new Metrics.QueueSample(depth.queue(), depth.pending(),
                Math.max(0, Duration.between(depth.oldestCreatedAt(), now).toMillis() / 1000.0))).toList());
          } else {
            metrics.queueSampleFailed();
            LOG.debug("Sampling queue depths failed", done.cause());
          }
        });
  }
}
