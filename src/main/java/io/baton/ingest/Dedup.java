package io.baton.ingest;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * Remembers which provider message ids were taken, so a redelivery is processed once. Redis (with a
 * TTL per channel) when configured, memory otherwise; in postgres mode backed by a durable unique
 * key that outlives any TTL.
 */
public interface Dedup {

  /**
   * For each id, in order: true when this call is the first to take (channel, id), false for a
   * duplicate (also an id repeated within the list). One round trip for the whole list.
   */
  Future<List<Boolean>> claimAll(String channel, List<String> providerMessageIds, Duration ttl);

  /** Gives claims back, when what they guarded could not be made durable (so the retry is processed). */
  Future<Void> releaseAll(String channel, List<String> providerMessageIds);

  default Future<Boolean> claim(String channel, String providerMessageId, Duration ttl) {
    return claimAll(channel, List.of(providerMessageId), ttl).map(List::getFirst);
  }

  default Future<Void> release(String channel, String providerMessageId) {
    return releaseAll(channel, List.of(providerMessageId));
  }

  /** "redis" or "memory", as /stats reports it. */
  String cacheType();
}
