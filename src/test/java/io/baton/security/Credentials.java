package io.baton.security;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Credentials for tests: two tenants' API keys per role, an HS256 secret, and tokens made with it
 * (or deliberately wrong). The environment configures Baton with the keys' hashes only.
 */
final class Credentials {

  static final String ISSUER = "https://id.example.test";
  static final String AUDIENCE = "baton-test";
  static final String SECRET = "test-secret-0123456789-abcdefghijklmnop";

  static String key(String tenant, Role role) {
    return "key-" + tenant + "-" + role.wireName() + "-9f8e7d6c5b4a";
  }

  /** BATON_ variables configuring keys for every role of {@code tenants}, and HS256 tokens. */
  static Map<String, String> env(String... tenants) {
    JsonObject keys = new JsonObject();
    for (String tenant : tenants) {
      for (Role role : Role.values()) {
        keys.put(tenant + "-" + role.wireName(), new JsonObject().put("sha256", ApiKeys.hashHex(key(tenant, role)))
            .put("role", role.wireName()).put("tenant", tenant));
      }
    }
    Map<String, String> env = new HashMap<>();
    env.put("BATON_SECURITY_API_KEYS", keys.encode());
    env.put("BATON_SECURITY_JWT_SECRET", SECRET);
    env.put("BATON_SECURITY_JWT_ISSUER", ISSUER);
    env.put("BATON_SECURITY_JWT_AUDIENCE", AUDIENCE);
    env.put("BATON_SECURITY_JWT_LEEWAY_SECONDS", "5");
    return env;
  }

  static JsonObject claims(String tenant, String role) {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("sub", "agent-7").put("iss", ISSUER).put("aud", AUDIENCE).put("tenant", tenant)
        .put("role", role).put("iat", now).put("exp", now + 300);
  }

  static String token(Vertx vertx, JsonObject claims) {
    return signer(vertx, "HS256", SECRET).generateToken(claims, new JWTOptions().setAlgorithm("HS256")
        .setNoTimestamp(true));
  }

  static String token(Vertx vertx, String algorithm, String secret, JsonObject claims) {
    return signer(vertx, algorithm, secret).generateToken(claims, new JWTOptions().setAlgorithm(algorithm)
        .setNoTimestamp(true));
  }

  static String agentToken(Vertx vertx, String tenant) {
    return token(vertx, claims(tenant, "agent"));
  }

  /** A token that says it needs no signature. */
  static String unsigned(JsonObject claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8)) + ".";
  }

  private static JWTAuth signer(Vertx vertx, String algorithm, String secret) {
    return JWTAuth.create(vertx, new JWTAuthOptions()
        .setPubSecKeys(List.of(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(secret))));
  }

  private Credentials() {
  }
}
