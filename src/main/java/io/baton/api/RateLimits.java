package io.baton.api;

import io.baton.bus.BatonError;
import io.baton.config.BatonConfig.GroupQuotas;
import io.baton.config.BatonConfig.Quota;
import io.baton.config.BatonConfig.RateLimitsConfig;
import io.baton.limits.RateDecision;
import io.baton.limits.RateLimiter;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Rate limits of one route group, run on each operation of the group before its handler. A request
 * takes one request from the bucket of every scope that applies to it ({@link RateLimitKey}), most
 * specific first, and stops at the first that refuses: 429 with {@code Retry-After}. Every limited
 * answer, passed or refused, carries {@code RateLimit-Policy} and {@code RateLimit} in the form of
 * draft-ietf-httpapi-ratelimit-headers-09 ({@code "api-ip";q=6000;w=60} and {@code "api-ip";r=5987;t=1}).
 */
final class RateLimits implements Handler<RoutingContext> {

  private record Scope(String policy, String bucket, Quota quota, String whose) {
  }

  private final String group;
  private final GroupQuotas quotas;
  private final RateLimiter limiter;

  private RateLimits(String group, GroupQuotas quotas, RateLimiter limiter) {
    this.group = group;
    this.quotas = quotas;
    this.limiter = limiter;
  }

  /** The limits of {@code group}; null when rate limits are off or the group has none. */
  static RateLimits forGroup(RouteGroup group, RateLimitsConfig config, RateLimiter limiter) {
    if (!config.enabled() || limiter == null || group.configName == null) {
      return null;
    }
    GroupQuotas quotas = config.groups().get(group.configName);
    if (quotas == null || !(quotas.perKey().limited() || quotas.perTenant().limited() || quotas.perIp().limited())) {
      return null;
    }
    return new RateLimits(group.configName, quotas, limiter);
  }

  @Override
  public void handle(RoutingContext ctx) {
    List<Scope> scopes = scopes(RateLimitKey.of(ctx));
    if (scopes.isEmpty()) {
      ctx.next();
      return;
    }
    List<RateDecision> decisions = new ArrayList<>();
    take(scopes, 0, decisions).onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
        return;
      }
      StringBuilder policy = new StringBuilder();
      StringBuilder state = new StringBuilder();
      for (int i = 0; i < decisions.size(); i++) {
        Scope scope = scopes.get(i);
        RateDecision decision = decisions.get(i);
        String separator = i == 0 ? "" : ", ";
        policy.append(separator).append('"').append(scope.policy()).append("\";q=").append(scope.quota().quota())
            .append(";w=").append(scope.quota().window().toSeconds());
        state.append(separator).append('"').append(scope.policy()).append("\";r=").append(decision.remaining())
            .append(";t=").append(decision.resetSeconds());
      }
      ctx.response().putHeader("RateLimit-Policy", policy.toString()).putHeader("RateLimit", state.toString());
      RateDecision last = decisions.getLast();
      if (last.allowed()) {
        ctx.next();
        return;
      }
      Scope refused = scopes.get(decisions.size() - 1);
      ctx.response().putHeader("Retry-After", Long.toString(last.retryAfterSeconds()));
      Problems.write(ctx, BatonError.TOO_MANY_REQUESTS, 429, "Rate limit \"" + refused.policy() + "\" reached: "
          + refused.quota().quota() + " requests per " + refused.quota().window().toSeconds() + " s per "
          + refused.whose() + " (limits.rate.groups." + group + "); retry in " + last.retryAfterSeconds() + " s",
          new JsonObject().put("policy", refused.policy()).put("retry_after_seconds", last.retryAfterSeconds()));
    });
  }

  /** Takes from each bucket in turn; stops at the first refusal, whose decision is the last one. */
  private Future<Void> take(List<Scope> scopes, int index, List<RateDecision> decisions) {
    if (index == scopes.size()) {
      return Future.succeededFuture();
    }
    Scope scope = scopes.get(index);
    return limiter.acquire(scope.bucket(), scope.quota()).compose(decision -> {
      decisions.add(decision);
      return decision.allowed() ? take(scopes, index + 1, decisions) : Future.succeededFuture();
    });
  }

  private List<Scope> scopes(RateLimitKey key) {
    List<Scope> scopes = new ArrayList<>(3);
    if (key.keyId() != null && quotas.perKey().limited()) {
      scopes.add(new Scope(group + "-key", group + ":key:" + key.keyId(), quotas.perKey(), "credential"));
    }
    if (key.tenant() != null && quotas.perTenant().limited()) {
      scopes.add(new Scope(group + "-tenant", group + ":tenant:" + key.tenant(), quotas.perTenant(), "tenant"));
    }
    if (!key.authenticated() && quotas.perIp().limited()) {
      scopes.add(new Scope(group + "-ip", group + ":ip:" + key.ip(), quotas.perIp(), "client address"));
    }
    return scopes;
  }
}
