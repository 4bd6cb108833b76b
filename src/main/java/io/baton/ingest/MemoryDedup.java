package io.baton.ingest;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The embedded dedup: ids with their expiry, in insertion order, at most {@code capacity} (the
 * oldest give way first, so memory stays bounded).
 */
public final class MemoryDedup implements Dedup {

  private final Clock clock;
  private final int capacity;
  private final Map<String, Instant> expiries = new LinkedHashMap<>();

  public MemoryDedup(Clock clock, int capacity) {
    this.clock = clock;
    this.capacity = capacity;
  }

  @Override
  public synchronized Future<Boolean> claim(String channel, String providerMessageId, Duration ttl) {
    Instant now = clock.instant();
    String key = channel + ":" + providerMessageId;
    Instant expiry = expiries.get(key);
    if (expiry != null && expiry.isAfter(now)) {
      return Future.succeededFuture(false);
    }
    expiries.remove(key);
    if (expiries.size() >= capacity) {
      expiries.remove(expiries.keySet().iterator().next());
    }
    expiries.put(key, now.plus(ttl));
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Void> release(String channel, String providerMessageId) {
    expiries.remove(channel + ":" + providerMessageId);
    return Future.succeededFuture();
  }

  @Override
  public String cacheType() {
    return "memory";
  }
}
