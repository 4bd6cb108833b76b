package io.baton.handoff;

import java.util.Locale;
import java.util.Optional;

/** Who wrote a transcript line. Bots call themselves many things; all of them are {@link #AI}. */
public enum Speaker {
  USER, AI, AGENT, SYSTEM;

  public static Optional<Speaker> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "user", "customer" -> Optional.of(USER);
      case "ai", "assistant", "bot" -> Optional.of(AI);
      case "agent" -> Optional.of(AGENT);
      case "system" -> Optional.of(SYSTEM);
      default -> Optional.empty();
    };
  }

  /** The wire name: lower case, as clients send it. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
