package io.baton.ingest;

import io.vertx.core.json.JsonArray;
import java.time.Instant;
import java.util.Locale;

/**
 * A channel's report on a message Baton sent: sent, delivered, read or failed (played counts as read).
 * A watermark report (Messenger's {@code read}) names no message: every message sent to
 * {@code recipientId} up to {@code timestamp} is read.
 */
public record StatusUpdate(String channel, String account, String providerMessageId, String status,
    String recipientId, Instant timestamp, JsonArray errors) {

  public static StatusUpdate readUpTo(String channel, String account, String recipientId, Instant watermark) {
    return new StatusUpdate(channel, account, null, "read", recipientId, watermark, null);
  }

  public boolean isWatermark() {
    return providerMessageId == null;
  }

  /**
   * The order statuses move in; a status never moves backwards ({@code read} may come without
   * {@code delivered}). {@code failed} is final, like {@code read}. Unknown statuses rank 0.
   */
  public static int rank(String status) {
    return switch (status == null ? "" : status.toLowerCase(Locale.ROOT)) {
      case "sent" -> 1;
      case "delivered" -> 2;
      case "read", "played" -> 3;
      case "failed" -> 4;
      default -> 0;
    };
  }
}
