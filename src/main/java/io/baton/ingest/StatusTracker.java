package io.baton.ingest;

import io.vertx.core.Future;
import java.time.Duration;

/** The delivery status of each message Baton sent, which only ever moves forward. */
public interface StatusTracker {

  /** True when {@code update} moved the message's status forward; false when it was stale or a repeat. */
  Future<Boolean> advance(StatusUpdate update, Duration ttl);
}
