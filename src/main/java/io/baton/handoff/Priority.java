package io.baton.handoff;

import java.util.Locale;
import java.util.Optional;

/** Handoff priority, lowest first: {@code ordinal()} is the rank used for ordering and floors. */
public enum Priority {
  LOW, MEDIUM, HIGH, URGENT, CRITICAL;

  /** Accepts any case ("high", "High"); empty when the text names no priority. */
  public static Optional<Priority> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException unknown) {
      return Optional.empty();
    }
  }

  public boolean isAbove(Priority other) {
    return ordinal() > other.ordinal();
  }

  /** The higher of the two: triggers and routing may raise a priority, never lower it. */
  public Priority atLeast(Priority floor) {
    return floor != null && floor.isAbove(this) ? floor : this;
  }
}
