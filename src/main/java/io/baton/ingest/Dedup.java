package io.baton.ingest;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Remembers which provider message ids were taken, so a redelivery is processed once. Redis (with a
 * TTL per channel) when configured, memory otherwise; in postgres mode backed by a durable unique
 * key that outlives any TTL.
 */
public interface Dedup {

  /** True when this call is the first to take (channel, id); false for a duplicate. */
  Future<Boolean> claim(String channel, String providerMessageId, Duration ttl);

  /** Gives a claim back, when what it guarded could not be made durable (so the retry is processed). */
  Future<Void> release(String channel, String providerMessageId);

  /** "redis" or "memory", as /stats reports it. */
  String cacheType();
}
