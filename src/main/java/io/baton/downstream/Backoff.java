package io.baton.downstream;

import io.baton.config.BatonConfig.RetryConfig;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/** When a durable retry of a downstream call is due again. */
public final class Backoff {

  private Backoff() {
  }

  /**
   * After attempt {@code attempt} failed: base_delay·2^(attempt-1), at most max_delay, less up to half
   * at random (so that retries after an outage do not arrive together), and never before a Retry-After.
   */
  public static Instant next(RetryConfig config, int attempt, Throwable failure, Instant now) {
    long base = config.baseDelay().toMillis();
    long exponential = attempt >= 31 ? Long.MAX_VALUE : base << Math.max(0, attempt - 1);
    long capped = Math.min(Math.max(exponential, base), config.maxDelay().toMillis());
    long delay = capped - ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    if (failure instanceof CallFailed call && call.retryAfter() != null) {
      delay = Math.max(delay, call.retryAfter().toMillis());
    }
    return now.plusMillis(delay);
  }
}
