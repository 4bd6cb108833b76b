package io.baton.helpdesk;

import java.util.Locale;
import java.util.Optional;

/** A built-in ticket's status. */
public enum TicketStatus {
  NEW, OPEN, PENDING_CUSTOMER, RESOLVED, CLOSED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<TicketStatus> parse(String text) {
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
