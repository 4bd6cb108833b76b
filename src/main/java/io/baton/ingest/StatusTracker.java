package io.baton.ingest;

import io.vertx.core.Future;
import java.time.Duration;

/** The delivery status of each message Baton sent, which only ever moves forward. */
public interface StatusTracker {

  /** True when {@code update} moved the message's status forward; false when it was stale or a repeat. */
  Future<Boolean> advance(StatusUpdate update, Duration ttl);

  /**
   * Forgets {@code update} as seen (unless a later status has moved past it meanwhile): it could not
   * be applied, and the provider's retry must not count as a repeat. The timeline moves a message's
   * status forward only, so applying a status twice is harmless.
   */
  Future<Void> forget(StatusUpdate update);
}
