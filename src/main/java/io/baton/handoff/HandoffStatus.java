package io.baton.handoff;

import java.util.Locale;
import java.util.Optional;

public enum HandoffStatus {
  PENDING, ASSIGNED, RESOLVED, RELEASED, CANCELLED;

  /** Pending and assigned handoffs are active: a conversation has at most one of them. */
  public boolean isActive() {
    return this == PENDING || this == ASSIGNED;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<HandoffStatus> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException unknown) {
      return Optional.empty();
    }
  }
}
