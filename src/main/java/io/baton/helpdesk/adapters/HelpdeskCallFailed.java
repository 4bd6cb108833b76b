package io.baton.helpdesk.adapters;

import java.time.Duration;

/**
 * An external helpdesk refused or failed a call. {@code countsAsFailure}: whether it says the
 * helpdesk is unwell (5xx, 408, 429, no answer) rather than that the request was wrong (other 4xx).
 * {@code retryAfter}: how long the helpdesk asked us to wait (429), or null.
 */
public final class HelpdeskCallFailed extends RuntimeException {

  private final boolean countsAsFailure;
  private final Duration retryAfter;

  public HelpdeskCallFailed(String message, boolean countsAsFailure, Duration retryAfter) {
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

  /** The failure an HTTP status other than 2xx means; {@code retryAfter} is the header's value, if any. */
  public static HelpdeskCallFailed ofStatus(String helpdesk, int status, String retryAfterHeader) {
    boolean counts = status >= 500 || status == 408 || status == 429;
    return new HelpdeskCallFailed(helpdesk + " answered " + status, counts, retryAfter(retryAfterHeader));
  }

  /** Retry-After in seconds (the helpdesks here send seconds); null when absent or unreadable. */
  static Duration retryAfter(String header) {
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
