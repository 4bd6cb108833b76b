package io.baton.handoff.triggers;

import java.util.Locale;
import java.util.Optional;

/** Why a human should take over. */
public enum TriggerType {
  DIRECT_REQUEST, FAILURE_PATTERN, CRITICAL_KEYWORD, NEGATIVE_SENTIMENT, CUSTOM_RULE;

  /** The name used on the wire and in config: {@code direct_request}, {@code custom_rule}... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Accepts the wire name or the constant name, in any case. */
  public static Optional<TriggerType> parse(String text) {
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
