package io.baton.events;

import io.baton.bus.Addresses;
import io.baton.bus.BusHandlers;
import io.baton.config.BatonConfig.EventsConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay: follows the event log in commit-safe id order and publishes every event on
 * {@link Addresses#EVENTS_APPENDED} (each read's events as one {@link EventBatch}), reading the log
 * every {@code events.poll_ms} (and at once when the embedded log says it grew). It also
 * serves replays ({@link Addresses#EVENTS_READ}) up to what it has published, so that a stream that
 * replays and then goes live sees every event once, and removes events past the retention.
 *
 * <p>One instance per process: the feed's position is this verticle's state, used on its own
 * event loop only.
 */
public final class EventsVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(EventsVerticle.class);
  /** Events removed per prune statement, so that a large backlog never makes one huge delete. */
  static final int PRUNE_BATCH = 10_000;
  private static final long FAILURE_LOG_EVERY_NANOS = 10_000_000_000L;

  private final EventFeed feed;
  private final EventsConfig config;
  private final Clock clock;
  private final AtomicBoolean wakeUpScheduled = new AtomicBoolean();
  private final RelayStatus status;

  private Context context;
  private MessageConsumer<JsonObject> reads;
  private long pollTimer = -1;
  private long pruneTimer = -1;
  /** Every id up to here is published or will never exist. */
  private long published;
  private boolean polling;
  private boolean pollAgain;
  private boolean pruning;
  private long lastFailureLogged = System.nanoTime() - FAILURE_LOG_EVERY_NANOS;

  public EventsVerticle(EventFeed feed, EventsConfig config, Clock clock) {
    this(feed, config, clock, new RelayStatus(clock, delay -> { }));
  }

  public EventsVerticle(EventFeed feed, EventsConfig config, Clock clock, RelayStatus status) {
    this.feed = feed;
    this.config = config;
    this.clock = clock;
    this.status = status;
  }

  @Override
  public Future<?> start() {
    context = vertx.getOrCreateContext();
    EventBatch.registerCodec(vertx.eventBus());
    return feed.start()
        .compose(head -> {
          published = head;
          reads = BusHandlers.serve(vertx.eventBus(), Addresses.EVENTS_READ, this::read);
          return feed.listen(vertx, this::wakeUp);
        })
        .onSuccess(listening -> {
          pollTimer = vertx.setPeriodic(config.poll().toMillis(), id -> poll());
          pruneTimer = vertx.setPeriodic(config.pruneEvery().toMillis(), id -> prune());
          poll();
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(pruneTimer);
    return Future.join(reads == null ? Future.succeededFuture() : reads.unregister(), feed.unlisten());
  }

  /** From any thread: schedules one look at the log, however many wake-ups arrive meanwhile. */
  private void wakeUp() {
    if (wakeUpScheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        wakeUpScheduled.set(false);
        poll();
      });
    }
  }

  /**
   * The pool answers on its connections' event loops, not necessarily this verticle's. The relay's
   * state (the polling flag, the published position, the feed's cursor between polls) is only ever
   * touched on its own context, so every answer comes back here first: two polls must never overlap.
   */
  private <T> Future<T> onRelayContext(Future<T> answer) {
    Promise<T> here = Promise.promise();
    answer.onComplete(result -> context.runOnContext(v -> here.handle(result)));
    return here.future();
  }

  private void poll() {
    if (polling) {
      pollAgain = true;
      return;
    }
    polling = true;
    int batch = config.batchSize();
    onRelayContext(feed.next(batch)).onComplete(done -> {
      polling = false;
      if (done.succeeded()) {
        status.read();
        List<Event> events = done.result();
        if (!events.isEmpty()) {
          vertx.eventBus().publish(Addresses.EVENTS_APPENDED, new EventBatch(events));
          published = events.getLast().id();
          events.forEach(status::published);
        }
        if (events.size() == batch) {
          pollAgain = true;
        }
      } else {
        pollAgain = false;
        logFailure("Reading the event log failed; retrying", done.cause());
      }
      if (pollAgain) {
        pollAgain = false;
        poll();
      }
    });
  }

  /**
   * A page of the log after {@code after}, up to what is published, filtered; or a reset when
   * retention removed events after {@code after}. Without {@code after}, just the position.
   */
  private Future<JsonObject> read(Message<JsonObject> message) {
    JsonObject body = message.body();
    long horizon = published;
    Long after = body.getLong("after");
    if (after == null) {
      return Future.succeededFuture(page(List.of(), horizon, horizon));
    }
    EventFilter filter = EventFilter.fromJson(body.getJsonObject("filter"));
    int limit = Math.max(1, Math.min(body.getInteger("limit", config.batchSize()), config.batchSize()));
    return feed.prunedThrough().compose(pruned -> {
      if (after < pruned) {
        return Future.succeededFuture(page(List.of(), horizon, horizon).put("reset", true).put("pruned_through", pruned));
      }
      if (after >= horizon) {
        return Future.succeededFuture(page(List.of(), after, horizon));
      }
      return feed.read(after, horizon, filter.handoffId(), limit).map(raw -> {
        long nextAfter = raw.size() < limit ? horizon : raw.getLast().id();
        return page(raw.stream().filter(filter::matches).toList(), nextAfter, horizon);
      });
    });
  }

  private static JsonObject page(List<Event> events, long nextAfter, long horizon) {
    JsonArray json = new JsonArray();
    events.forEach(event -> json.add(event.toJson()));
    return new JsonObject()
        .put("events", json)
        .put("next_after", nextAfter)
        .put("horizon", horizon)
        .put("done", nextAfter >= horizon)
        .put("reset", false);
  }

  private void prune() {
    if (pruning) {
      return;
    }
    pruning = true;
    Instant cutoff = clock.instant().minus(config.retention());
    onRelayContext(pruneFrom(cutoff, 0)).onComplete(done -> {
      pruning = false;
      if (done.succeeded() && done.result() > 0) {
        LOG.info("Removed {} event(s) older than {}", done.result(), cutoff);
      } else if (done.failed()) {
        logFailure("Removing old events failed; will try again", done.cause());
      }
    });
  }

  private Future<Integer> pruneFrom(Instant cutoff, int removedSoFar) {
    return feed.prune(cutoff, published, PRUNE_BATCH).compose(removed -> removed < PRUNE_BATCH
        ? Future.succeededFuture(removedSoFar + removed)
        : pruneFrom(cutoff, removedSoFar + removed));
  }

  private void logFailure(String message, Throwable cause) {
    long now = System.nanoTime();
    if (now - lastFailureLogged >= FAILURE_LOG_EVERY_NANOS) {
      lastFailureLogged = now;
      LOG.warn(message, cause);
    }
  }
}
