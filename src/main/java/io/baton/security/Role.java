package io.baton.security;

import java.util.Locale;

/**
 * What a caller may do. {@code platform}: check, create and read its handoffs and conversations;
 * {@code agent}: queues, assignment, messages, answers, streams and tickets; {@code admin}: all of it,
 * and the agents. Which roles an operation admits is written in {@code openapi.yaml} ({@code x-baton-roles}).
 */
public enum Role {
  PLATFORM, AGENT, ADMIN;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code text} (any case), or null when it names none. */
  public static Role parse(String text) {
    if (text == null) {
      return null;
    }
    for (Role role : values()) {
      if (role.wireName().equalsIgnoreCase(text.trim())) {
        return role;
      }
    }
    return null;
  }
}
