package io.baton.ingest.debounce;

import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.config.BatonConfig.DebounceConfig;
import io.baton.ingest.InboundMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** The embedded debouncer: windows in this process's memory, at most {@code capacity} messages waiting. */
public final class MemoryDebouncer implements Debouncer {

  private static final class Window {
    final List<JsonObject> open = new ArrayList<>();
    Instant first;
    Instant deadline;
    String claimedId;
    List<JsonObject> claimed;
    Instant lease;
    int attempts;
  }

  private final DebounceConfig config;
  private final Clock clock;
  private final int capacity;
  private final Map<String, Window> windows = new HashMap<>();
  private final AtomicLong totalBuffered = new AtomicLong();
  private int waiting;

  public MemoryDebouncer(DebounceConfig config, Clock clock, int capacity) {
    this.config = config;
    this.clock = clock;
    this.capacity = capacity;
  }

  @Override
  public synchronized Future<Void> add(InboundMessage message) {
    if (waiting >= capacity) {
      return Future.failedFuture(new BatonException(BatonError.UNAVAILABLE,
          "Too many messages are waiting to be flushed; retry shortly"));
    }
    Instant now = clock.instant();
    Window window = windows.computeIfAbsent(message.windowKey(), key -> new Window());
    if (window.open.isEmpty()) {
      window.first = now;
    }
    window.open.add(message.toJson());
    waiting++;
    totalBuffered.incrementAndGet();
    Instant byWindow = now.plus(config.window());
    Instant byMaxWait = window.first.plus(config.maxWait());
    window.deadline = window.open.size() >= config.maxBatch() ? now
        : byWindow.isBefore(byMaxWait) ? byWindow : byMaxWait;
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<List<Batch>> claimDue(int limit) {
    Instant now = clock.instant();
    List<Batch> due = new ArrayList<>();
    for (Map.Entry<String, Window> entry : windows.entrySet()) {
      if (due.size() >= limit) {
        break;
      }
      Window window = entry.getValue();
      if (window.claimedId != null) {
        if (!window.lease.isAfter(now)) {
          window.lease = now.plus(config.lease());
          window.attempts++;
          due.add(new Batch(window.claimedId, entry.getKey(), List.copyOf(window.claimed), window.attempts));
        }
      } else if (!window.open.isEmpty() && !window.deadline.isAfter(now)) {
        window.claimedId = "bt-" + UUID.randomUUID();
        window.claimed = new ArrayList<>(window.open);
        window.open.clear();
        window.lease = now.plus(config.lease());
        window.attempts = 1;
        due.add(new Batch(window.claimedId, entry.getKey(), List.copyOf(window.claimed), 1));
      }
    }
    return Future.succeededFuture(due);
  }

  @Override
  public synchronized Future<Void> complete(Batch batch) {
    Window window = windows.get(batch.conversationKey());
    if (window != null && batch.batchId().equals(window.claimedId)) {
      waiting -= window.claimed.size();
      window.claimedId = null;
      window.claimed = null;
      if (window.open.isEmpty()) {
        windows.remove(batch.conversationKey());
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> retryAt(Batch batch, Instant at) {
    Window window = windows.get(batch.conversationKey());
    if (window != null && batch.batchId().equals(window.claimedId)) {
      window.lease = at;
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<JsonObject> stats() {
    long active = windows.values().stream().filter(w -> !w.open.isEmpty() || w.claimedId != null).count();
    return Future.succeededFuture(new JsonObject().put("active_buffers", active)
        .put("total_buffered", totalBuffered.get()));
  }
}
