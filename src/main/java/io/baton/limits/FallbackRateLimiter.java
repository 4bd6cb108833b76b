package io.baton.limits;

import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.config.BatonConfig.Quota;
import io.baton.config.BatonConfig.RedisFailure;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared (Redis) limiter, and what to do while it cannot answer: limit on this instance's own
 * buckets ({@code local}), let requests through ({@code open}) or refuse them with 503
 * ({@code closed}). After a failure the fallback answers on its own for {@link #RETRY_SHARED_AFTER_MS},
 * then Redis is tried again. Failures are logged with their cause, at most once per
 * {@link #LOG_EVERY_MS}, so an outage does not flood the log at the request rate.
 */
public final class FallbackRateLimiter implements RateLimiter {

  private static final Logger LOG = LoggerFactory.getLogger(FallbackRateLimiter.class);
  static final long LOG_EVERY_MS = 10_000;
  /** After a failure, Redis is asked again only after this long; meanwhile the fallback answers at once. */
  static final long RETRY_SHARED_AFTER_MS = 1_000;

  private final RateLimiter shared;
  private final RateLimiter local;
  private final RedisFailure mode;
  private final Clock clock;
  /** Far enough in the past that the first failure is logged, near enough that now minus it cannot overflow. */
  private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE / 2);
  private final AtomicLong sharedAgainAt = new AtomicLong(Long.MIN_VALUE);

  public FallbackRateLimiter(RateLimiter shared, RateLimiter local, RedisFailure mode, Clock clock) {
    this.shared = shared;
    this.local = local;
    this.mode = mode;
    this.clock = clock;
  }

  @Override
  public Future<RateDecision> acquire(String bucket, Quota quota) {
    if (clock.millis() < sharedAgainAt.get()) {
      return fallback(bucket, quota);
    }
    return shared.acquire(bucket, quota).recover(failure -> {
      long now = clock.millis();
      // A Redis that hangs would otherwise add its whole timeout to every request of the outage.
      sharedAgainAt.set(now + RETRY_SHARED_AFTER_MS);
      long last = lastLogged.get();
      if (now - last >= LOG_EVERY_MS && lastLogged.compareAndSet(last, now)) {
        LOG.warn("Rate limits cannot reach Redis; requests are {} meanwhile",
            switch (mode) {
              case LOCAL -> "limited per instance";
              case OPEN -> "not limited";
              case CLOSED -> "refused with 503";
            }, failure);
      }
      return fallback(bucket, quota);
    });
  }

  private Future<RateDecision> fallback(String bucket, Quota quota) {
    return switch (mode) {
      case LOCAL -> local.acquire(bucket, quota);
      case OPEN -> Future.succeededFuture(new RateDecision(true, quota.quota(), 0, 0));
      case CLOSED -> Future.failedFuture(new BatonException(BatonError.UNAVAILABLE,
          "Rate limits cannot be checked right now (their store is unreachable); retry shortly"));
    };
  }
}
