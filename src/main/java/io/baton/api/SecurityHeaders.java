package io.baton.api;

import io.baton.config.BatonConfig.HeadersConfig;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * Security headers on every answer, set before anything else runs so that a 413, a 404 or a 429 has
 * them too. API answers are data for programs: no sniffing, no framing, no referrer, never cached,
 * and a policy that lets a browser run nothing from them. The Swagger UI under {@code /docs} gets a
 * policy of its own: scripts and styles from Baton only (the page has no inline script: its
 * initializer is a file), inline style attributes (which the UI sets), images from Baton and
 * {@code data:} URIs (its icons), and requests to Baton only (the contract, "Try it out").
 */
final class SecurityHeaders implements PlatformHandler {

  static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  static final String DOCS_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
      + "form-action 'none'";

  private final String hsts;

  SecurityHeaders(HeadersConfig config) {
    this.hsts = config.hstsMaxAgeSeconds() <= 0 ? null
        : "max-age=" + config.hstsMaxAgeSeconds() + (config.hstsIncludeSubdomains() ? "; includeSubDomains" : "");
  }

  @Override
  public void handle(RoutingContext ctx) {
    apply(ctx.response(), ctx.request().path());
    ctx.next();
  }

  void apply(HttpServerResponse response, String path) {
    response.putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY");
    if (hsts != null) {
      response.putHeader("Strict-Transport-Security", hsts);
    }
    if (path != null && (path.equals("/docs") || path.startsWith("/docs/"))) {
      // The UI's files are static and versioned by the webjar: the static handler's caching applies.
      response.putHeader("Content-Security-Policy", DOCS_POLICY);
    } else {
      response.putHeader("Content-Security-Policy", API_POLICY).putHeader("Cache-Control", "no-store");
    }
  }
}
