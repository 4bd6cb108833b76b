package io.baton.limits;

import io.baton.config.BatonConfig.Quota;
import io.vertx.core.Future;

/**
 * Token buckets: each takes one request from the bucket named {@code bucket}, which holds
 * {@code quota.quota()} requests and refills that many evenly over {@code quota.window()}. A bucket
 * nobody used for a whole window is full. Implementations: {@link MemoryRateLimiter} (one process)
 * and {@link RedisRateLimiter} (shared by every instance); both pass one contract suite.
 */
public interface RateLimiter {

  Future<RateDecision> acquire(String bucket, Quota quota);
}
