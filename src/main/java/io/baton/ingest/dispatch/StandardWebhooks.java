package io.baton.ingest.dispatch;

import io.baton.ingest.Signatures;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Standard Webhooks signatures: {@code v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>},
 * the key being the base64 after {@code whsec_}.
 */
public final class StandardWebhooks {

  private static final String PREFIX = "whsec_";

  private StandardWebhooks() {
  }

  public static String sign(String secret, String id, long timestampSeconds, String body) {
    String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
    byte[] key = Base64.getDecoder().decode(encoded);
    byte[] signed = (id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8);
    return "v1," + Base64.getEncoder().encodeToString(Signatures.hmacSha256(key, signed));
  }
}
