package io.baton.security;

import io.baton.api.RateLimitKey;
import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.config.BatonConfig.Quota;
import io.baton.limits.RateDecision;
import io.baton.limits.RateLimiter;
import io.baton.security.AccessRules.Rule;
import io.baton.security.AccessRules.Source;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides whether a request may reach its operation. It runs before the body is
 * read: it finds the operation in the contract, admits public ones, and otherwise needs one credential
 * presented the way the operation's {@code security} allows (401 without, 403 for a role the
 * operation's {@code x-baton-roles} does not name). In protected mode (nothing configured) it admits
 * callers on this machine only, as the admin of the default tenant, and answers 403 to others.
 */
public final class Gatekeeper {

  private static final Logger LOG = LoggerFactory.getLogger(Gatekeeper.class);
  /** The operation a request has been admitted to. */
  private static final String CHECKED = "baton.admitted_operation";
  static final String CHALLENGE = "Bearer realm=\"baton\"";
  static final String PROTECTED_DETAIL = "Baton is in protected mode: no API key and no JWT setting is configured,"
      + " so the API answers callers on its own machine only. Configure security.api_keys"
      + " (BATON_SECURITY_API_KEYS, SHA-256 hashes made with `java -jar baton.jar hash-key <key>`) or"
      + " security.jwt (BATON_SECURITY_JWT_...), as the README's Authentication section shows";

  private final SecurityConfig config;
  private final ApiKeys keys;
  private final AgentTokens tokens;
  private final Predicate<SocketAddress> onThisMachine;
  /** Counts refused credentials per client address; null: not counted (rate limits are off). */
  private RateLimiter refusals;

  Gatekeeper(Vertx vertx, SecurityConfig config, Predicate<SocketAddress> onThisMachine) {
    this.config = config;
    this.keys = new ApiKeys(config.apiKeys());
    this.tokens = config.jwt().configured() ? new AgentTokens(vertx, config.jwt()) : null;
    this.onThisMachine = onThisMachine;
  }

  public static Gatekeeper create(Vertx vertx, SecurityConfig config) {
    return new Gatekeeper(vertx, config, PeerAddresses::isLoopback);
  }

  /** A gatekeeper whose idea of "this machine" is given, so tests can play a remote caller. */
  public static Gatekeeper withPeerCheck(Vertx vertx, SecurityConfig config, Predicate<SocketAddress> onThisMachine) {
    return new Gatekeeper(vertx, config, onThisMachine);
  }

  /** Refused credentials count against their client address in {@code limiter} (security.refused_credentials_per_minute). */
  public Gatekeeper countingRefusalsIn(RateLimiter limiter) {
    this.refusals = config.refusedPerMinute() > 0 ? limiter : null;
    return this;
  }

  public boolean protectedMode() {
    return config.protectedMode();
  }

  public Future<Void> start() {
    return tokens == null ? Future.succeededFuture() : tokens.start();
  }

  public void stop() {
    if (tokens != null) {
      tokens.stop();
    }
  }

  /**
   * The root handler of one router: checks a request for the operation its path names before the
   * body is read, so refused callers cost no buffering.
   */
  public Handler<RoutingContext> guard(AccessRules rules) {
    return ctx -> {
      String path = ctx.normalizedPath();
      if (path != null && path.length() > 1 && path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      Rule rule = rules.find(path, ctx.request().method());
      if (rule == null) {
        ctx.next();
      } else {
        admit(ctx, rule);
      }
    };
  }

  /**
   * The first handler of the operation's own route. The router may match spellings of a path that
   * the root check did not resolve to this operation; then the check runs here, so no spelling
   * reaches an operation unchecked (after the body is read, which only such odd spellings pay).
   */
  public Handler<RoutingContext> confirm(AccessRules rules, String operationId) {
    Rule rule = rules.all().get(operationId);
    if (rule == null) {
      throw new IllegalStateException("No access rule for operation " + operationId);
    }
    return ctx -> {
      if (operationId.equals(ctx.get(CHECKED))) {
        ctx.next();
      } else {
        admit(ctx, rule);
      }
    };
  }

  private void admit(RoutingContext ctx, Rule rule) {
    HttpServerRequest request = ctx.request();
    if (rule.isPublic()) {
      ctx.put(CHECKED, rule.operationId());
      ctx.next();
      return;
    }
    if (config.protectedMode()) {
      // The socket's address, never a forwarding header: those are whatever the client wrote.
      if (onThisMachine.test(request.connection().remoteAddress())) {
        Principal.loopback().attach(ctx);
        ctx.put(CHECKED, rule.operationId());
        ctx.next();
      } else {
        ctx.fail(new BatonException(BatonError.FORBIDDEN, PROTECTED_DETAIL));
      }
      return;
    }
    List<String> credentials;
    try {
      credentials = credentials(ctx, rule);
    } catch (BatonException refused) {
      challenge(ctx, refused.detail());
      return;
    }
    if (credentials.isEmpty()) {
      challenge(ctx, "This operation needs a credential: Authorization: Bearer <API key or agent token>"
          + (rule.sources().contains(Source.API_KEY_HEADER) ? ", or X-API-Key: <API key>" : "")
          + (rule.sources().contains(Source.ACCESS_TOKEN_QUERY) ? ", or ?access_token=<key or token>" : ""));
      return;
    }
    if (credentials.size() > 1) {
      challenge(ctx, "Send one credential, not " + credentials.size());
      return;
    }
    authenticate(credentials.get(0)).onComplete(result -> {
      if (result.failed()) {
        LOG.debug("Refused a credential on {} (request {}): {}", rule.operationId(), ctx.get("request_id"),
            result.cause().getMessage());
        refused(ctx).onComplete(counted -> {
          if (counted.succeeded() && !counted.result().allowed()) {
            long retryAfter = counted.result().retryAfterSeconds();
            ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
            ctx.fail(new BatonException(BatonError.TOO_MANY_REQUESTS, "Too many refused credentials from this "
                + "address (security.refused_credentials_per_minute: " + config.refusedPerMinute()
                + "); retry in " + retryAfter + " s", new JsonObject().put("retry_after_seconds", retryAfter)));
          } else {
            challenge(ctx, CHALLENGE + ", error=\"invalid_token\"",
                "The credential is not accepted: " + result.cause().getMessage());
          }
        });
        return;
      }
      Principal principal = result.result();
      if (!rule.roles().contains(principal.role())) {
        ctx.fail(new BatonException(BatonError.FORBIDDEN, "The " + principal.role().wireName()
            + " role may not call " + rule.operationId() + "; it is for "
            + rule.roles().stream().map(Role::wireName).sorted().collect(Collectors.joining(", "))));
        return;
      }
      principal.attach(ctx);
      // Rate limits count a verified caller against its own key (or agent) and tenant.
      ctx.put(RateLimitKey.IDENTITY, new RateLimitKey.Identity(principal.rateLimitId(), principal.tenant()));
      ctx.put(CHECKED, rule.operationId());
      ctx.next();
    });
  }

  /** Counts a refused credential against its client address; allowed when nothing counts them. */
  private Future<RateDecision> refused(RoutingContext ctx) {
    if (refusals == null) {
      return Future.succeededFuture(new RateDecision(true, 0, 0, 0));
    }
    SocketAddress peer = ctx.request().connection().remoteAddress();
    String address = peer == null ? "unknown" : peer.hostAddress();
    return refusals.acquire("refused:ip:" + address, new Quota(config.refusedPerMinute(), Duration.ofMinutes(1)));
  }

  private Future<Principal> authenticate(String credential) {
    if (AgentTokens.looksLikeJwt(credential)) {
      return tokens == null ? Future.failedFuture("agents' tokens are not configured (security.jwt)")
          : tokens.verify(credential);
    }
    Principal owner = keys.find(credential);
    return owner == null ? Future.failedFuture("unknown API key") : Future.succeededFuture(owner);
  }

  /** The credentials presented in the places this operation reads; the others are not looked at. */
  private static List<String> credentials(RoutingContext ctx, Rule rule) {
    List<String> found = new ArrayList<>();
    HttpServerRequest request = ctx.request();
    if (rule.sources().contains(Source.AUTHORIZATION_BEARER)) {
      String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
      if (authorization != null) {
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()) {
          throw new BatonException(BatonError.UNAUTHORIZED, "Authorization must be 'Bearer <API key or agent token>'");
        }
        found.add(authorization.substring(7).trim());
      }
    }
    if (rule.sources().contains(Source.API_KEY_HEADER)) {
      request.headers().getAll(AccessRules.API_KEY_HEADER).forEach(found::add);
    }
    if (rule.sources().contains(Source.ACCESS_TOKEN_QUERY)) {
      found.addAll(ctx.queryParam(AccessRules.ACCESS_TOKEN));
    }
    found.removeIf(String::isBlank);
    return found;
  }

  private static void challenge(RoutingContext ctx, String detail) {
    challenge(ctx, CHALLENGE, detail);
  }

  private static void challenge(RoutingContext ctx, String header, String detail) {
    ctx.response().putHeader("WWW-Authenticate", header);
    ctx.fail(new BatonException(BatonError.UNAUTHORIZED, detail));
  }
}
