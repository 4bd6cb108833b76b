package io.baton.security;

import io.vertx.ext.web.RoutingContext;

/**
 * Who is calling: a configured API key (by its name) or an agent's token (by its subject), with the
 * role and the tenant that credential belongs to. Requests admitted by protected mode (no credentials
 * configured, loopback caller) are the administrator of the default tenant.
 */
public record Principal(String name, Role role, String tenant, Kind kind) {

  public enum Kind { API_KEY, JWT, LOOPBACK }

  public static final String DEFAULT_TENANT = "default";
  private static final String KEY = "baton.principal";

  static Principal loopback() {
    return new Principal("loopback", Role.ADMIN, DEFAULT_TENANT, Kind.LOOPBACK);
  }

  /** A stable name of the credential for its rate-limit buckets: never the key or token itself. */
  String rateLimitId() {
    return (kind == Kind.JWT ? "agent:" : "key:") + name;
  }

  void attach(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  /** The caller of an admitted request; public routes (health, webhooks) have none. */
  public static Principal of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /** The tenant a request acts for: its caller's, or the default one on public routes. */
  public static String tenantOf(RoutingContext ctx) {
    Principal principal = of(ctx);
    return principal == null ? DEFAULT_TENANT : principal.tenant();
  }
}
