package io.baton.security;

import io.baton.security.SecurityConfig.JwtConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies agents' JWTs: the signature with the one configured algorithm (a token that names another,
 * or {@code none}, is refused before any key is tried), then {@code iss}, {@code aud}, {@code exp} and
 * {@code nbf} with the configured leeway. With a JWKS url the keys are fetched at start and refreshed
 * periodically; a failed refresh keeps the keys already known.
 */
final class AgentTokens {

  private static final Logger LOG = LoggerFactory.getLogger(AgentTokens.class);
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
  private static final long JWKS_TIMEOUT_MS = 5_000;
  private static final int JWKS_MAX_BYTES = 1 << 20;
  /** Least time between two refreshes asked for by tokens signed with a key not known yet. */
  static final long MIN_REFRESH_GAP_MS = 30_000;

  private final Vertx vertx;
  private final JwtConfig config;
  private volatile JWTAuth verifier;
  private WebClient client;
  private long refreshTimer = -1;
  /** When a token last asked for a refresh; the first one after start may ask at once. */
  private final AtomicLong lastRefresh =
      new AtomicLong(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(MIN_REFRESH_GAP_MS));

  AgentTokens(Vertx vertx, JwtConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Whether {@code credential} is shaped like a JWT (three base64url parts) rather than an API key. */
  static boolean looksLikeJwt(String credential) {
    return SHAPE.matcher(credential).matches();
  }

  Future<Void> start() {
    if (!config.jwksUrl().isEmpty()) {
      client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout((int) JWKS_TIMEOUT_MS));
      refreshTimer = vertx.setPeriodic(config.jwksRefresh().toMillis(), id -> refreshJwks());
      // The identity provider may be down at start; Baton still starts, refuses tokens until keys
      // arrive, and tries again at every refresh.
      return refreshJwks().otherwiseEmpty();
    }
    PubSecKeyOptions key = new PubSecKeyOptions().setAlgorithm(config.algorithm())
        .setBuffer(config.algorithm().equals("HS256") ? config.secret() : config.publicKey());
    verifier = JWTAuth.create(vertx, options().addPubSecKey(key));
    return Future.succeededFuture();
  }

  void stop() {
    if (refreshTimer >= 0) {
      vertx.cancelTimer(refreshTimer);
    }
    if (client != null) {
      client.close();
    }
  }

  private JWTAuthOptions options() {
    JWTOptions checks = new JWTOptions().setLeeway(config.leewaySeconds()).setIssuer(config.issuer())
        .setAudience(List.of(config.audience()));
    return new JWTAuthOptions().setJWTOptions(checks);
  }

  private Future<Void> refreshJwks() {
    return client.getAbs(config.jwksUrl()).timeout(JWKS_TIMEOUT_MS).send()
        .compose(response -> {
          if (response.statusCode() != 200) {
            return Future.failedFuture("the JWKS url answered " + response.statusCode());
          }
          return Future.succeededFuture(keysOf(response));
        })
        .<Void>map(keys -> {
          JWTAuthOptions options = options();
          keys.forEach(options::addJwk);
          verifier = JWTAuth.create(vertx, options);
          return null;
        })
        .onFailure(failure -> LOG.warn("Could not load agents' signing keys from security.jwt.jwks_url ({}); keeping"
            + " the keys known so far", failure.getMessage()));
  }

  /** The keys of the pinned algorithm; keys that do not say theirs are taken when their type fits it. */
  private List<JsonObject> keysOf(HttpResponse<Buffer> response) {
    if (response.body() == null || response.body().length() > JWKS_MAX_BYTES) {
      throw new IllegalStateException("the JWKS document is empty or too large");
    }
    JsonArray keys = response.bodyAsJsonObject().getJsonArray("keys", new JsonArray());
    String kty = config.algorithm().startsWith("ES") ? "EC" : "RSA";
    List<JsonObject> accepted = new ArrayList<>();
    for (Object entry : keys) {
      if (entry instanceof JsonObject key && kty.equals(key.getString("kty"))
          && config.algorithm().equals(key.getString("alg", config.algorithm()))
          && !"enc".equals(key.getString("use"))) {
        accepted.add(key.copy().put("alg", config.algorithm()));
      }
    }
    if (accepted.isEmpty()) {
      throw new IllegalStateException("the JWKS document has no " + config.algorithm() + " signing key");
    }
    return accepted;
  }

  /** The token's caller, or a failure whose message says why it is refused (never the token itself). */
  Future<Principal> verify(String token) {
    String algorithm = headerAlgorithm(token);
    if (!config.algorithm().equals(algorithm)) {
      return Future.failedFuture("the token is signed with " + (algorithm == null ? "an unreadable header" : algorithm)
          + "; this service accepts " + config.algorithm() + " only");
    }
    JWTAuth current = verifier;
    if (current == null) {
      return Future.failedFuture("the signing keys of agents' tokens are not loaded yet");
    }
    return current.authenticate(new TokenCredentials(token))
        .recover(failure -> unknownKey(failure) && mayRefreshNow()
            // The provider may have rotated its keys since the last refresh: look once more, at most
            // every MIN_REFRESH_GAP_MS, so that tokens naming made-up key ids cannot drive refreshes.
            ? refreshJwks().compose(refreshed -> verifier.authenticate(new TokenCredentials(token)))
            : Future.failedFuture(failure))
        .recover(failure -> Future.failedFuture("the token is invalid: " + reason(failure, token)))
        .compose(user -> {
          JsonObject claims = user.attributes().getJsonObject("accessToken", user.principal());
          if (claims.getValue("exp") == null) {
            return Future.failedFuture("the token has no exp claim; tokens must expire");
          }
          Object tenantClaim = claims.getValue(config.tenantClaim());
          if (tenantClaim != null && !(tenantClaim instanceof String named && SecurityConfig.isTenantName(named))) {
            return Future.failedFuture("the token's " + config.tenantClaim() + " claim is not a tenant name"
                + " (1 to 64 letters, digits, '.', '_' or '-')");
          }
          String tenant = tenantClaim == null ? Principal.DEFAULT_TENANT : (String) tenantClaim;
          Object roleClaim = claims.getValue(config.roleClaim());
          Role role = roleClaim == null ? Role.AGENT : Role.parse(String.valueOf(roleClaim));
          if (role == null) {
            return Future.failedFuture("the token's " + config.roleClaim() + " claim names no role");
          }
          return Future.succeededFuture(new Principal(claims.getString("sub", "agent"), role, tenant,
              Principal.Kind.JWT));
        });
  }

  private static boolean unknownKey(Throwable failure) {
    return failure instanceof NoSuchKeyIdException || failure.getCause() instanceof NoSuchKeyIdException;
  }

  private boolean mayRefreshNow() {
    if (client == null) {
      return false;
    }
    long now = System.nanoTime();
    long last = lastRefresh.get();
    return now - last >= TimeUnit.MILLISECONDS.toNanos(MIN_REFRESH_GAP_MS) && lastRefresh.compareAndSet(last, now);
  }

  /** The library's reason, unless it quotes any part of the token: tokens are never echoed or logged. */
  private static String reason(Throwable failure, String token) {
    String message = failure.getMessage();
    if (message == null || message.isBlank()) {
      return "bad signature or claims";
    }
    for (String part : token.split("\\.")) {
      if (part.length() >= 8 && message.contains(part)) {
        return "bad signature or claims";
      }
    }
    return message;
  }

  private static String headerAlgorithm(String token) {
    try {
      String header = token.substring(0, token.indexOf('.'));
      byte[] json = Base64.getUrlDecoder().decode(header);
      return new JsonObject(new String(json, StandardCharsets.UTF_8)).getString("alg");
    } catch (RuntimeException unreadable) {
      return null;
    }
  }
}
