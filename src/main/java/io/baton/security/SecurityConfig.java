package io.baton.security;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code security} section of {@code conf/baton.yaml}: API keys (stored as SHA-256 hashes, never
 * in plain text) and agents' JWT settings. With neither configured Baton runs in protected mode and
 * serves the API to loopback callers only.
 */
/**
 * {@code refusedPerMinute}: credentials refused per client address and minute before that address
 * gets 429 instead of 401 (0: no limit), so that keys and tokens cannot be guessed at full speed.
 */
public record SecurityConfig(List<ApiKey> apiKeys, JwtConfig jwt, int refusedPerMinute) {

  /** One platform's or bot's key: its name (logged instead of the key), hash, role and tenant. */
  public record ApiKey(String name, byte[] sha256, Role role, String tenant) {
  }

  /**
   * Agents' tokens. {@code algorithm} is pinned: a token signed otherwise (or unsigned) is refused.
   * HS256 uses {@code secret}; RS256 and ES256 use {@code publicKey} (PEM) or the keys at {@code jwksUrl}.
   */
  public record JwtConfig(String algorithm, String secret, String publicKey, String jwksUrl, Duration jwksRefresh,
      String issuer, String audience, int leewaySeconds, String roleClaim, String tenantClaim) {

    public boolean configured() {
      return !secret.isEmpty() || !publicKey.isEmpty() || !jwksUrl.isEmpty();
    }
  }

  static final Set<String> ALGORITHMS = Set.of("HS256", "RS256", "ES256");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /**
   * Whether {@code name} may name a tenant. Keys' tenants are checked at start-up and tokens' on
   * every request, so that a tenant is always a short, plain name (stores key data by it).
   */
  public static boolean isTenantName(String name) {
    return name != null && TENANT.matcher(name).matches();
  }

  /** Protected mode: nothing configured, so only loopback callers reach the API. */
  public boolean protectedMode() {
    return apiKeys.isEmpty() && !jwt.configured();
  }

  public static SecurityConfig from(JsonObject security) {
    List<ApiKey> keys = new ArrayList<>();
    security.getJsonObject("api_keys", new JsonObject()).forEach(entry -> {
      String path = "security.api_keys." + entry.getKey();
      if (!(entry.getValue() instanceof JsonObject key)) {
        throw new IllegalArgumentException(path + " must be a map {sha256, role, tenant}");
      }
      String hash = key.getString("sha256", "");
      if (!SHA256_HEX.matcher(hash).matches()) {
        throw new IllegalArgumentException(path + ".sha256 must be the key's SHA-256 as 64 hex digits"
            + " (java -jar target/baton.jar hash-key <key>), never the key itself");
      }
      Role role = Role.parse(key.getString("role"));
      if (role == null) {
        throw new IllegalArgumentException(path + ".role must be platform, agent or admin");
      }
      String tenant = key.getString("tenant", Principal.DEFAULT_TENANT);
      if (!TENANT.matcher(tenant).matches()) {
        throw new IllegalArgumentException(path + ".tenant must be 1 to 64 letters, digits, '.', '_' or '-'");
      }
      keys.add(new ApiKey(entry.getKey(), HexFormat.of().parseHex(hash.toLowerCase(Locale.ROOT)), role, tenant));
    });
    int refusedPerMinute = security.getInteger("refused_credentials_per_minute", 60);
    if (refusedPerMinute < 0) {
      throw new IllegalArgumentException("security.refused_credentials_per_minute must be 0 (no limit) or more");
    }
    return new SecurityConfig(List.copyOf(keys), jwt(security.getJsonObject("jwt", new JsonObject())),
        refusedPerMinute);
  }

  private static JwtConfig jwt(JsonObject jwt) {
    JwtConfig config = new JwtConfig(
        jwt.getString("algorithm", "HS256").trim().toUpperCase(Locale.ROOT),
        jwt.getString("secret", ""),
        jwt.getString("public_key", "").trim(),
        jwt.getString("jwks_url", "").trim(),
        Duration.ofSeconds(jwt.getLong("jwks_refresh_seconds", 300L)),
        jwt.getString("issuer", ""),
        jwt.getString("audience", ""),
        jwt.getInteger("leeway_seconds", 30),
        jwt.getString("role_claim", "role"),
        jwt.getString("tenant_claim", "tenant"));
    if (!config.configured()) {
      return config;
    }
    if (!ALGORITHMS.contains(config.algorithm())) {
      throw new IllegalArgumentException("security.jwt.algorithm must be HS256, RS256 or ES256, not '"
          + config.algorithm() + "'");
    }
    boolean hmac = config.algorithm().equals("HS256");
    int sources = (config.secret().isEmpty() ? 0 : 1) + (config.publicKey().isEmpty() ? 0 : 1)
        + (config.jwksUrl().isEmpty() ? 0 : 1);
    if (sources != 1 || hmac != !config.secret().isEmpty()) {
      throw new IllegalArgumentException("security.jwt: HS256 takes a secret; RS256 and ES256 take public_key"
          + " or jwks_url; set exactly one of them");
    }
    if (hmac && config.secret().length() < 32) {
      throw new IllegalArgumentException("security.jwt.secret must be at least 32 characters for HS256");
    }
    if (config.issuer().isBlank() || config.audience().isBlank()) {
      throw new IllegalArgumentException("security.jwt.issuer and security.jwt.audience must be set: tokens"
          + " minted for another service must not be accepted");
    }
    if (config.leewaySeconds() < 0 || config.leewaySeconds() > 300) {
      throw new IllegalArgumentException("security.jwt.leeway_seconds must be between 0 and 300");
    }
    if (config.jwksRefresh().toSeconds() < 10) {
      throw new IllegalArgumentException("security.jwt.jwks_refresh_seconds must be at least 10");
    }
    if (config.roleClaim().isBlank() || config.tenantClaim().isBlank()) {
      throw new IllegalArgumentException("security.jwt.role_claim and tenant_claim must name claims");
    }
    return config;
  }
}
