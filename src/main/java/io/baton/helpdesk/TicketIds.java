package io.baton.helpdesk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/** Ids of the built-in helpdesk: {@code tkt_…}, {@code msg_…}, {@code cust_…}. */
final class TicketIds {

  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private TicketIds() {
  }

  static String ticket() {
    return "tkt_" + random(20);
  }

  static String message() {
    return "msg_" + random(20);
  }

  /**
   * A customer without an id of their own is known by their e-mail or channel identity, so that one
   * person's tickets share an id; with neither, they get a new one.
   */
  static String customer(String email, String channelIdentity) {
    String key = email != null && !email.isBlank() ? "email:" + email.trim().toLowerCase(Locale.ROOT)
        : channelIdentity != null && !channelIdentity.isBlank() ? "id:" + channelIdentity.trim() : null;
    if (key == null) {
      return "cust_" + random(20);
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "cust_" + HexFormat.of().formatHex(digest, 0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static String random(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(out);
  }
}
