package io.baton.ingest;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
  public synchronized Future<List<Boolean>> claimAll(String channel, List<String> providerMessageIds, Duration ttl) {
    Instant now = clock.instant();
    List<Boolean> claimed = new ArrayList<>(providerMessageIds.size());
    for (String providerMessageId : providerMessageIds) {
      claimed.add(claim(channel + ":" + providerMessageId, now, ttl));
    }
    return Future.succeededFuture(claimed);
  }

  private boolean claim(String key, Instant now, Duration ttl) {
    Instant expiry = expiries.get(key);
    if (expiry != null && expiry.isAfter(now)) {
      return false;
    }
    expiries.remove(key);
    if (expiries.size() >= capacity) {
      expiries.remove(expiries.keySet().iterator().next());
    }
    expiries.put(key, now.plus(ttl));
    return true;
  }

  @Override
  public synchronized Future<Void> releaseAll(String channel, List<String> providerMessageIds) {
    providerMessageIds.forEach(providerMessageId -> expiries.remove(channel + ":" + providerMessageId));
    return Future.succeededFuture();
  }

  @Override
  public String cacheType() {
    return "memory";
  }
}
