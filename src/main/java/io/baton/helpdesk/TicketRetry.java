package io.baton.helpdesk;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A handoff whose ticket is still to be made: {@code retrying}, or {@code failed} for good. */
public record TicketRetry(String handoffId, String status, int attempts, Instant nextAttemptAt, String lastError) {

  public static final String RETRYING = "retrying";
  public static final String FAILED = "failed";

  /** What a handoff read shows of it. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("ticket_status", status)
        .put("ticket_attempts", attempts)
        .put("ticket_error", lastError)
        .put("ticket_next_attempt_at", RETRYING.equals(status) ? nextAttemptAt.toString() : null);
  }
}
