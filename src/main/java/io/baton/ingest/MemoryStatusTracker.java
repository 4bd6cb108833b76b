package io.baton.ingest;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Statuses in memory, at most {@code capacity} messages (the oldest give way). */
public final class MemoryStatusTracker implements StatusTracker {

  private final int capacity;
  private final Map<String, Integer> ranks = new LinkedHashMap<>();

  public MemoryStatusTracker(int capacity) {
    this.capacity = capacity;
  }

  @Override
  public synchronized Future<Boolean> advance(StatusUpdate update, Duration ttl) {
    String key = update.channel() + ":" + update.providerMessageId();
    int rank = StatusUpdate.rank(update.status());
    Integer current = ranks.get(key);
    if (current != null && current >= rank) {
      return Future.succeededFuture(false);
    }
    if (current == null && ranks.size() >= capacity) {
      ranks.remove(ranks.keySet().iterator().next());
    }
    ranks.put(key, rank);
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Void> forget(StatusUpdate update) {
    ranks.remove(update.channel() + ":" + update.providerMessageId(), StatusUpdate.rank(update.status()));
    return Future.succeededFuture();
  }
}
