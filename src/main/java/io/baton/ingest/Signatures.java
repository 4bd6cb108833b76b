package io.baton.ingest;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signatures of the channels, always over the exact bytes received (Meta signs an
 * escaped-unicode form, so re-serialised JSON would not match), compared in constant time.
 */
public final class Signatures {

  private static final String PREFIX = "sha256=";

  private Signatures() {
  }

  public static byte[] hmacSha256(String key, byte[] data) {
    return hmacSha256(key.getBytes(StandardCharsets.UTF_8), data);
  }

  public static byte[] hmacSha256(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** Meta's {@code X-Hub-Signature-256}: {@code sha256=<lowercase hex>}. */
  public static String meta(String secret, Buffer body) {
    return PREFIX + HexFormat.of().formatHex(hmacSha256(secret, body.getBytes()));
  }

  /** X's {@code x-twitter-webhooks-signature} and CRC {@code response_token}: {@code sha256=<base64>}. */
  public static String twitter(String secret, byte[] body) {
    return PREFIX + Base64.getEncoder().encodeToString(hmacSha256(secret, body));
  }

  /**
   * The secret, among {@code secrets}, whose Meta signature of {@code body} is {@code header}. Every
   * candidate is computed and compared, so the time taken says nothing about which one matched.
   */
  public static Optional<String> matchMeta(List<String> secrets, String header, Buffer body) {
    if (header == null) {
      return Optional.empty();
    }
    // Hex is case-insensitive; Meta sends lower case.
    byte[] received = header.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    String matched = null;
    for (String secret : secrets) {
      if (MessageDigest.isEqual(meta(secret, body).getBytes(StandardCharsets.US_ASCII), received) && matched == null) {
        matched = secret;
      }
    }
    return Optional.ofNullable(matched);
  }

  /** As {@link #matchMeta}, for X's base64 signature (which is case-sensitive). */
  public static Optional<String> matchTwitter(List<String> secrets, String header, Buffer body) {
    if (header == null) {
      return Optional.empty();
    }
    byte[] received = header.trim().getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = body.getBytes();
    String matched = null;
    for (String secret : secrets) {
      if (MessageDigest.isEqual(twitter(secret, bytes).getBytes(StandardCharsets.US_ASCII), received)
          && matched == null) {
        matched = secret;
      }
    }
    return Optional.ofNullable(matched);
  }

  /** Constant-time equality of two texts (tokens, shared secrets); null never equals. */
  public static boolean same(String expected, String given) {
    if (expected == null || given == null || expected.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}
