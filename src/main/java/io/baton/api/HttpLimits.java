package io.baton.api;

import io.baton.config.BatonConfig;
import io.baton.config.BatonConfig.HeadersConfig;
import io.baton.config.BatonConfig.LimitsConfig;
import io.baton.limits.RateLimiter;

/**
 * What the HTTP layer enforces beyond the contract: input limits, rate limits (through
 * {@code limiter}, shared by the HTTP verticles of a process; null when they are off) and the
 * response headers with CORS.
 */
public record HttpLimits(LimitsConfig limits, HeadersConfig headers, RateLimiter limiter) {

  public static HttpLimits of(BatonConfig config, RateLimiter limiter) {
    return new HttpLimits(config.limits(), config.headers(), limiter);
  }

  JsonLimits json() {
    return new JsonLimits(limits.jsonMaxDepth(), limits.jsonMaxStringLength());
  }
}
