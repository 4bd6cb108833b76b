package io.baton.api;

import io.baton.security.Principal;
import io.baton.bus.Addresses;
import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.bus.Failures;
import io.baton.config.BatonConfig.SseConfig;
import io.baton.events.Event;
import io.baton.events.EventBatch;
import io.baton.events.EventFilter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-Sent Event streams of one HTTP verticle: {@code GET /api/v1/events} and
 * {@code GET /api/v1/handoffs/{id}/events}.
 *
 * <p>A stream first registers for live events (held in a bounded buffer), then asks the relay for
 * the log after the client's {@code Last-Event-ID}, up to what the relay has published, writes
 * that, and then the buffered live events above the last replayed position: no gap, no duplicate,
 * in id order. Live events come from the relay over the bus; one consumer per verticle fans them
 * out to its streams. Everything here runs on the verticle's event loop.
 */
final class EventStreams {

  private static final Logger LOG = LoggerFactory.getLogger(EventStreams.class);
  static final String CONTENT_TYPE = "text/event-stream";
  static final String LAST_EVENT_ID = "Last-Event-ID";
  private static final Buffer KEEPALIVE = Buffer.buffer(": keepalive\n\n");

  private final Vertx vertx;
  private final BusCalls bus;
  private final SseConfig config;
  private final StreamLimits limits;
  private final Set<Stream> streams = new LinkedHashSet<>();
  private MessageConsumer<EventBatch> consumer;
  private long keepaliveTimer = -1;

  EventStreams(Vertx vertx, BusCalls bus, SseConfig config, StreamLimits limits) {
    this.vertx = vertx;
    this.bus = bus;
    this.config = config;
    this.limits = limits;
  }

  Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.EVENTS_APPENDED, this::deliver);
    keepaliveTimer = vertx.setPeriodic(config.keepalive().toMillis(), id -> keepalive());
    return consumer.completion();
  }

  /** Ends every stream (clients reconnect elsewhere with their last id) and stops listening. */
  Future<Void> stop() {
    vertx.cancelTimer(keepaliveTimer);
    for (Stream stream : List.copyOf(streams)) {
      stream.end();
    }
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** {@code GET /api/v1/events}: every event matching the query's filters. */
  void all(RoutingContext ctx) {
    EventFilter filter = new EventFilter(Principal.tenantOf(ctx),
        query(ctx, "queue"), query(ctx, "agent_id"), query(ctx, "conversation_id"), query(ctx, "handoff_id"),
        EventFilter.parseTypes(query(ctx, "types")));
    open(ctx, filter);
  }

  /** {@code GET /api/v1/handoffs/{handoff_id}/events}: one handoff's events; 404 when it is unknown. */
  void ofHandoff(RoutingContext ctx) {
    String handoffId = ctx.pathParam("handoff_id");
    bus.request(ctx, Addresses.HANDOFF_GET, new JsonObject().put("handoff_id", handoffId)).onComplete(found -> {
      if (found.succeeded()) {
        open(ctx, new EventFilter(Principal.tenantOf(ctx), null, null, null, handoffId, Set.of()));
      } else {
        Problems.write(ctx, Failures.classify(found.cause()));
      }
    });
  }

  private static String query(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /** The header a reconnecting browser sends wins over the query parameter of the first request. */
  private static Long lastEventId(RoutingContext ctx) {
    String header = ctx.request().getHeader(LAST_EVENT_ID);
    String given = header != null && !header.isBlank() ? header.trim() : query(ctx, "last_event_id");
    if (given == null) {
      return null;
    }
    try {
      long id = Long.parseLong(given);
      if (id < 0) {
        throw new NumberFormatException();
      }
      return id;
    } catch (NumberFormatException e) {
      throw BatonException.unprocessable("Last-Event-ID must be an event id (a non-negative integer), not '"
          + given + "'");
    }
  }

  private void open(RoutingContext ctx, EventFilter filter) {
    Long resumeAfter;
    try {
      resumeAfter = lastEventId(ctx);
    } catch (BatonException invalid) {
      Problems.write(ctx, invalid);
      return;
    }
    String client = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    String refused = limits.tryOpen(client);
    if (refused != null) {
      Problems.write(ctx, new BatonException(BatonError.UNAVAILABLE, refused));
      return;
    }
    Stream stream = new Stream(ctx, filter, client, resumeAfter);
    streams.add(stream);
    stream.begin();
  }

  /** A live event from the relay, for every stream of this verticle that wants it. */
  private void deliver(Message<EventBatch> message) {
    if (streams.isEmpty()) {
      return;
    }
    // A stream that could not take an event gets none after it (its client resumes from the last
    // one it got, so nothing is skipped): it is disconnected once the batch is through.
    Set<Stream> overwhelmed = null;
    for (Event event : message.body().events()) {
      Buffer frame = null;
      for (Stream stream : streams) {
        if (stream.filter.matches(event) && (overwhelmed == null || !overwhelmed.contains(stream))) {
          frame = frame == null ? frame(event.id(), event.type(), event.toJson()) : frame;
          if (!stream.offer(event.id(), frame)) {
            overwhelmed = overwhelmed == null ? new LinkedHashSet<>() : overwhelmed;
            overwhelmed.add(stream);
          }
        }
      }
    }
    if (overwhelmed != null) {
      overwhelmed.forEach(Stream::disconnect);
    }
  }

  private void keepalive() {
    for (Stream stream : streams) {
      stream.keepalive();
    }
  }

  static Buffer frame(long id, String type, JsonObject data) {
    return Buffer.buffer("id: " + id + "\nevent: " + type + "\ndata: " + data.encode() + "\n\n");
  }

  private static JsonObject synthetic(String type, long position, EventFilter filter, JsonObject data) {
    return new JsonObject()
        .put("type", type)
        .put("event_id", position)
        .put("handoff_id", filter.handoffId())
        .put("conversation_id", filter.conversationId())
        .put("queue", filter.queue())
        .put("agent_id", filter.agentId())
        .put("at", Instant.now().toString())
        .put("data", data);
  }

  private record Held(long id, Buffer frame) {
  }

  private enum State { REPLAYING, LIVE, CLOSED }

  /** One client's stream. */
  private final class Stream {

    final RoutingContext ctx;
    final HttpServerResponse response;
    final EventFilter filter;
    final String client;
    final Long resumeAfter;
    final ArrayDeque<Held> held = new ArrayDeque<>();
    State state = State.REPLAYING;
    boolean started;
    /** The log position this stream has covered: live events at or below it are not sent again. */
    long position;

    Stream(RoutingContext ctx, EventFilter filter, String client, Long resumeAfter) {
      this.ctx = ctx;
      this.response = ctx.response();
      this.filter = filter;
      this.client = client;
      this.resumeAfter = resumeAfter;
      response.closeHandler(v -> closed());
      response.endHandler(v -> closed());
    }

    void begin() {
      readPage(resumeAfter);
    }

    private void readPage(Long after) {
      JsonObject command = new JsonObject().put("after", after).put("filter", filter.toJson());
      bus.request(ctx, Addresses.EVENTS_READ, command).onComplete(read -> {
        if (state == State.CLOSED) {
          return;
        }
        if (read.failed()) {
          if (started) {
            LOG.warn("Replay failed for an event stream (request {}); closing it so that the client resumes",
                RequestIds.of(ctx), read.cause());
            disconnect();
          } else {
            closed();
            Problems.write(ctx, Failures.classify(read.cause()));
          }
          return;
        }
        page(read.result());
      });
    }

    private void page(JsonObject page) {
      long horizon = page.getLong("horizon");
      if (!started) {
        started = true;
        response.setChunked(true)
            .setStatusCode(200)
            .putHeader("Content-Type", CONTENT_TYPE)
            .putHeader("Cache-Control", "no-cache")
            .putHeader("X-Accel-Buffering", "no")
            // Compression would hold frames back until a buffer fills.
            .putHeader("Content-Encoding", "identity")
            .setWriteQueueMaxSize(config.writeQueueBytes());
        position = resumeAfter != null ? resumeAfter : horizon;
        JsonObject connected = new JsonObject()
            .put("filter", filter.toJson())
            .put("resumed", resumeAfter != null)
            .put("request_id", RequestIds.of(ctx));
        response.write(Buffer.buffer("retry: " + config.retry().toMillis() + "\n\n"));
        response.write(frame(position, "connected", synthetic("connected", position, filter, connected)));
      }
      if (page.getBoolean("reset", false)) {
        JsonObject reset = new JsonObject()
            .put("last_event_id", resumeAfter)
            .put("pruned_through", page.getLong("pruned_through"))
            .put("detail", "Events after the given id are no longer kept; reload the state, then follow this stream");
        response.write(frame(horizon, "reset", synthetic("reset", horizon, filter, reset)));
        position = horizon;
        goLive();
        return;
      }
      JsonArray events = page.getJsonArray("events");
      for (int i = 0; i < events.size(); i++) {
        JsonObject event = events.getJsonObject(i);
        response.write(frame(event.getLong("event_id"), event.getString("type"), event));
      }
      position = Math.max(position, page.getLong("next_after"));
      if (page.getBoolean("done")) {
        goLive();
      } else if (response.writeQueueFull()) {
        // A replay waits for a slow reader instead of dropping it: it is bounded by the log.
        response.drainHandler(v -> {
          response.drainHandler(null);
          if (state == State.REPLAYING) {
            readPage(position);
          }
        });
      } else {
        readPage(position);
      }
    }

    private void goLive() {
      while (!held.isEmpty()) {
        Held next = held.pollFirst();
        if (next.id() > position) {
          if (response.writeQueueFull()) {
            disconnect();
            return;
          }
          response.write(next.frame());
          position = next.id();
        }
      }
      state = State.LIVE;
    }

    /** Takes a live event; false when this stream cannot keep up and must be disconnected. */
    boolean offer(long id, Buffer frame) {
      switch (state) {
        case REPLAYING -> {
          if (held.size() >= config.bufferEvents()) {
            return false;
          }
          held.addLast(new Held(id, frame));
          return true;
        }
        case LIVE -> {
          if (id <= position) {
            return true;
          }
          if (response.writeQueueFull()) {
            return false;
          }
          response.write(frame);
          position = id;
          return true;
        }
        default -> {
          return true;
        }
      }
    }

    void keepalive() {
      if (started && state != State.CLOSED && !response.closed() && !response.writeQueueFull()) {
        response.write(KEEPALIVE);
      }
    }

    /** Drops a client that cannot keep up; it reconnects and resumes from the last id it got. */
    void disconnect() {
      if (state == State.CLOSED) {
        return;
      }
      LOG.info("Disconnecting a slow event stream client {} at event {} (request {}); it resumes by id",
          client, position, RequestIds.of(ctx));
      closed();
      response.reset();
    }

    /** Ends the stream cleanly (the instance is stopping), with a reconnect hint. */
    void end() {
      if (state == State.CLOSED) {
        return;
      }
      closed();
      if (started && !response.ended() && !response.closed()) {
        // The browser's EventSource reconnects after `retry` ms; behind a load balancer that is
        // another instance, and Last-Event-ID resumes it where this one stopped.
        response.end(Buffer.buffer(": this instance is stopping; reconnect to resume\nretry: "
            + config.retry().toMillis() + "\n\n"));
      } else if (!started && !response.ended()) {
        Problems.write(ctx, new BatonException(BatonError.UNAVAILABLE, "The service is stopping; retry shortly"));
      }
    }

    private void closed() {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      held.clear();
      streams.remove(this);
      limits.release(client);
    }
  }
}
