package io.baton.handoff;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Handoff ids: {@code ho-} and 26 Crockford base-32 characters, a millisecond timestamp followed by
 * 80 random bits (the ULID layout). Ids of one millisecond are unordered, but sorting by id is close
 * to sorting by creation, which keeps the primary-key index append-mostly.
 */
public final class HandoffIds {

  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;

  public HandoffIds(Clock clock) {
    this.clock = clock;
  }

  public String next() {
    char[] out = new char[26];
    long time = clock.millis();
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    long bits = 0;
    int available = 0;
    int index = 0;
    for (int i = 10; i < 26; i++) {
      if (available < 5) {
        bits = (bits << 8) | (random[index++] & 0xff);
        available += 8;
      }
      out[i] = ALPHABET[(int) ((bits >>> (available - 5)) & 31)];
      available -= 5;
    }
    return "ho-" + new String(out);
  }
}
