package io.baton.limits;

/**
 * One bucket's answer to a request: whether it passes, the whole requests left ({@code remaining}),
 * the seconds until the bucket is full again ({@code resetSeconds}) and, when refused, the seconds
 * until one request would pass ({@code retryAfterSeconds}).
 */
public record RateDecision(boolean allowed, long remaining, long resetSeconds, long retryAfterSeconds) {

  /** What a token bucket of {@code quota} answers with {@code tokens} left, refilling {@code perMs} a millisecond. */
  static RateDecision of(boolean allowed, double tokens, long quota, double perMs) {
    long reset = (long) Math.ceil((quota - tokens) / perMs / 1000.0);
    long retry = allowed ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / perMs / 1000.0));
    return new RateDecision(allowed, (long) Math.floor(tokens), Math.max(0, reset), retry);
  }
}
