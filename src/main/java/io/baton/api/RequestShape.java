package io.baton.api;

import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.Locale;

/**
 * Refuses, before anything reads them, requests whose shape no route can use. A platform handler, so
 * that it runs before CORS and the credential check (which reads access_token from the query) and
 * before the body is read. Both checks were found by HostileInputTest.
 */
final class RequestShape implements PlatformHandler {

  @Override
  public void handle(RoutingContext ctx) {
    // A query string that is not valid percent-encoding (%zz) makes every later read of the
    // parameters throw: it is answered 400 here, once, instead of a 500 wherever it is first read.
    try {
      ctx.request().params();
    } catch (IllegalArgumentException malformed) {
      refuse(ctx, "The query string is not valid percent-encoding (a % must be followed by two hex digits)");
      return;
    }
    // Every body Baton reads is JSON (webhooks included). Form and multipart bodies are refused
    // before they are read: the body handler would decode them into form fields, and a field over
    // Netty's limits fails in ways that mean nothing to a client.
    String type = ctx.request().getHeader("Content-Type");
    String lower = type == null ? "" : type.trim().toLowerCase(Locale.ROOT);
    if (lower.startsWith("multipart/") || lower.startsWith("application/x-www-form-urlencoded")) {
      refuse(ctx, "Baton reads application/json request bodies, not " + lower.split(";")[0]);
      return;
    }
    ctx.next();
  }

  private static void refuse(RoutingContext ctx, String detail) {
    // The router paused the request for the body handler, which will not run: resume it so that the
    // unread body is discarded and the answer goes out.
    ctx.request().resume();
    Problems.write(ctx, new BatonException(BatonError.BAD_REQUEST, detail));
  }
}
