package io.baton.helpdesk.adapters;

import io.baton.downstream.CallFailed;

/** An external helpdesk refused or failed a call; see {@link CallFailed} for what counts. */
public final class HelpdeskCallFailed extends CallFailed {

  public HelpdeskCallFailed(String message, boolean countsAsFailure, java.time.Duration retryAfter) {
    super(message, countsAsFailure, retryAfter);
  }

  /** The failure an HTTP status other than 2xx means; {@code retryAfter} is the header's value, if any. */
  public static HelpdeskCallFailed ofStatus(String helpdesk, int status, String retryAfterHeader) {
    return new HelpdeskCallFailed(helpdesk + " answered " + status, statusCounts(status),
        retryAfter(retryAfterHeader));
  }
}
