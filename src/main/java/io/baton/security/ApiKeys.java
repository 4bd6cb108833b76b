package io.baton.security;

import io.baton.security.SecurityConfig.ApiKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The configured API keys, known only by their SHA-256. A presented key is hashed and compared with
 * every configured hash in constant time, so neither timing nor an early exit tells how close a guess was.
 */
public final class ApiKeys {

  private final List<ApiKey> keys;

  ApiKeys(List<ApiKey> keys) {
    this.keys = List.copyOf(keys);
  }

  /** The key's owner, or null when no configured key matches. */
  Principal find(String presented) {
    byte[] hash = sha256(presented);
    ApiKey match = null;
    for (ApiKey key : keys) {
      // No break: every hash is compared whichever matches.
      if (MessageDigest.isEqual(key.sha256(), hash)) {
        match = key;
      }
    }
    return match == null ? null : new Principal(match.name(), match.role(), match.tenant(), Principal.Kind.API_KEY);
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }

  /** What {@code security.api_keys.<name>.sha256} holds for {@code key}. */
  public static String hashHex(String key) {
    return HexFormat.of().formatHex(sha256(key));
  }
}
