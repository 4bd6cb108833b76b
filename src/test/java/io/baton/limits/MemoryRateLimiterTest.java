package io.baton.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.config.BatonConfig.Quota;
import io.baton.support.Await;
import io.baton.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MemoryRateLimiterTest extends RateLimiterContract {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  /** One process has one memory: every "instance" of this test shares it, as HTTP verticles do. */
  private final MemoryRateLimiter shared = new MemoryRateLimiter(clock, 1_000);

  @Override
  protected RateLimiter limiter() {
    return shared;
  }

  @Override
  protected void elapse(Duration time) {
    clock.advance(time);
  }

  @Test
  void itKeepsAtMostItsBoundOfBucketsDroppingTheFullestFirst() {
    MemoryRateLimiter small = new MemoryRateLimiter(clock, 10);
    Quota quota = new Quota(2, Duration.ofSeconds(60));
    // A drained bucket, which must survive the trim: dropping it would hand its client a full one.
    small.acquire("drained", quota);
    small.acquire("drained", quota);

    for (int i = 0; i < 50; i++) {
      Await.result(small.acquire("client-" + i, quota));
    }

    assertThat(small.size()).isLessThanOrEqualTo(10);
    assertThat(Await.result(small.acquire("drained", quota)).allowed()).isFalse();
  }
}
