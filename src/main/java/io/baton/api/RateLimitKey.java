package io.baton.api;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Whom a request's rate limits count against: its credential ({@code keyId}), the credential's
 * tenant, and the client address. {@link #of} is the one function that decides it.
 *
 * <p>An authentication handler that has verified a credential puts an {@link Identity} into the
 * routing context under {@link #IDENTITY}; the request then counts against that key and tenant only.
 * Until then, a credential sent ({@code Authorization} or {@code X-API-Key}) is known only by its
 * SHA-256, has no tenant, and is not verified: such a request counts against its key and against its
 * client address, so that inventing credentials cannot escape the address's limit.
 */
public record RateLimitKey(String keyId, String tenant, String ip, boolean authenticated) {

  /** Where an authentication handler leaves the verified identity of a request. */
  public static final String IDENTITY = "baton.identity";

  /** A verified credential: its stable id (never the secret itself) and its tenant. */
  public record Identity(String keyId, String tenant) {
  }

  static RateLimitKey of(RoutingContext ctx) {
    SocketAddress remote = ctx.request().remoteAddress();
    String ip = remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    if (ctx.get(IDENTITY) instanceof Identity identity) {
      return new RateLimitKey(identity.keyId(), identity.tenant(), ip, true);
    }
    String credential = ctx.request().getHeader("Authorization");
    if (credential == null || credential.isBlank()) {
      credential = ctx.request().getHeader("X-API-Key");
    }
    String keyId = credential == null || credential.isBlank() ? null : sha256(credential.trim());
    return new RateLimitKey(keyId, null, ip, false);
  }

  /** Hex SHA-256, shortened: a bucket's name must never carry the credential itself. */
  static String sha256(String credential) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(credential.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
