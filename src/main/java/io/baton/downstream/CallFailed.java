package io.baton.downstream;

import java.time.Duration;

/**
 * A call to a service outside Baton (a helpdesk, a channel's send API) was refused or failed.
 * {@code countsAsFailure}: whether it says the service is unwell (5xx, 408, 429, no answer) rather
 * than that the request was wrong (other 4xx), which a retry cannot mend and which must not open a
 * circuit breaker. {@code retryAfter}: how long the service asked us to wait (429), or null.
 */
public class CallFailed extends RuntimeException {

  private final boolean countsAsFailure;
  private final Duration retryAfter;

  public CallFailed(String message, boolean countsAsFailure, Duration retryAfter) {
    super(message, null, false, false);
    this.countsAsFailure = countsAsFailure;
    this.retryAfter = retryAfter;
  }

  public boolean countsAsFailure() {
    return countsAsFailure;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  /** Whether an HTTP status other than 2xx says the service is unwell (worth a retry) rather than the request wrong. */
  public static boolean statusCounts(int status) {
    return status >= 500 || status == 408 || status == 429;
  }

  /** Retry-After in seconds (the services here send seconds); null when absent or unreadable. */
  public static Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    try {
      long seconds = Long.parseLong(header.trim());
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      return null;
    }
  }
}
