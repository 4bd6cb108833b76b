package io.baton.api;

import io.vertx.core.http.HttpMethod;

/**
 * The groups of routes that share input and rate limits: {@code api} (the JSON API, /stats and the
 * chatbot escalation), {@code streams} (the event streams), {@code webhooks} (the signed channel
 * webhooks) and {@code ops} (health, readiness, the contract and its docs: never rate limited, so a
 * load balancer's checks always get through).
 */
enum RouteGroup {
  API("api"),
  STREAMS("streams"),
  WEBHOOKS("webhooks"),
  OPS(null);

  /** The group's name in {@code limits.rate.groups}; null for ops. */
  final String configName;

  RouteGroup(String configName) {
    this.configName = configName;
  }

  static RouteGroup of(HttpMethod method, String path) {
    if (path == null) {
      return API;
    }
    if (path.equals("/health") || path.equals("/ready") || path.equals("/metrics") || path.equals("/openapi.yaml")
        || path.equals("/docs")
        || path.startsWith("/docs/")) {
      return OPS;
    }
    if (HttpVerticle.isWebhook(path)) {
      return WEBHOOKS;
    }
    if (HttpMethod.GET.equals(method) && (path.equals("/api/v1/events")
        || (path.startsWith("/api/v1/handoffs/") && path.endsWith("/events")))) {
      return STREAMS;
    }
    return API;
  }
}
