package io.baton.limits;

import io.baton.config.BatonConfig.Quota;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets in this process's memory: the embedded mode's, and the fallback while Redis cannot be
 * reached. Shared by every HTTP verticle of the process; each take is one atomic {@code compute} on its
 * bucket. At most {@code maxBuckets} are kept: past that, buckets full by now are dropped, then the
 * fullest, down to 90% of the bound (a dropped bucket is a full one, so dropping errs towards letting requests pass).
 */
public final class MemoryRateLimiter implements RateLimiter {

  private record Bucket(double tokens, long atMs, long quota, double perMs) {
    double tokensAt(long nowMs) {
      return Math.min(quota, tokens + Math.max(0, nowMs - atMs) * perMs);
    }
  }

  private final Clock clock;
  private final int maxBuckets;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public MemoryRateLimiter(Clock clock, int maxBuckets) {
    this.clock = clock;
    this.maxBuckets = maxBuckets;
  }

  @Override
  public Future<RateDecision> acquire(String bucket, Quota quota) {
    long now = clock.millis();
    double perMs = (double) quota.quota() / quota.window().toMillis();
    boolean[] allowed = {false};
    Bucket after = buckets.compute(bucket, (name, current) -> {
      double tokens = current == null || current.quota() != quota.quota() ? quota.quota() : current.tokensAt(now);
      allowed[0] = tokens >= 1;
      return new Bucket(allowed[0] ? tokens - 1 : tokens, now, quota.quota(), perMs);
    });
    if (buckets.size() > maxBuckets) {
      trim(now);
    }
    return Future.succeededFuture(RateDecision.of(allowed[0], after.tokens(), quota.quota(), perMs));
  }

  /** Buckets held now. */
  public int size() {
    return buckets.size();
  }

  /**
   * Down to 90% of the bound, not to the bound itself: a trim walks every bucket, and trimming to the
   * bound would make every new client after it pay for a whole walk.
   */
  private synchronized void trim(long now) {
    if (buckets.size() <= maxBuckets) {
      return;
    }
    buckets.entrySet().removeIf(entry -> entry.getValue().tokensAt(now) >= entry.getValue().quota());
    int excess = buckets.size() - maxBuckets * 9 / 10;
    if (excess > 0) {
      buckets.entrySet().stream()
          .sorted(Comparator.comparingDouble((Map.Entry<String, Bucket> e) ->
              e.getValue().tokensAt(now) / e.getValue().quota()).reversed())
          .limit(excess)
          .map(Map.Entry::getKey)
          .toList()
          .forEach(buckets::remove);
    }
  }
}
