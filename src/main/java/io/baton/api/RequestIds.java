package io.baton.api;

import io.baton.ops.LogFormat;
import io.baton.ops.LogIds;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a sensible token, else a
 * new one. It is echoed on the response, written in problem bodies, sent across the bus and logged.
 */
public final class RequestIds implements PlatformHandler {

  public static final String HEADER = "X-Request-Id";
  private static final Logger ACCESS = LoggerFactory.getLogger(LogFormat.ACCESS_LOGGER);
  private static final String KEY = "request_id";
  /** Printable, no spaces, bounded: a caller's id must not be able to forge log lines. */
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:/+=@-]{1,200}");

  /** A platform handler, so that it runs before the body handler: a 413 has an id too. */
  @Override
  public void handle(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER);
    String id = given != null && ACCEPTED.matcher(given).matches() ? given : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    if (given != null) {
      // Read here, once. Left in place, the contract's validator would read "-5" as a number and
      // answer 422 to a request whose only fault is the shape of its id (found by HostileInputTest).
      try {
        ctx.request().headers().remove(HEADER);
      } catch (UnsupportedOperationException immutable) {
        // Headers of this protocol cannot be changed; the validator reads them as sent.
      }
    }
    ctx.response().putHeader(HEADER, id);
    LogIds.put(LogIds.REQUEST_ID, id);
    if (ACCESS.isInfoEnabled()) {
      long started = System.nanoTime();
      ctx.addEndHandler(done -> ACCESS.info("{} {} {} {} ms", ctx.request().method(), route(ctx),
          ctx.response().getStatusCode(), (System.nanoTime() - started) / 1_000_000));
    }
    ctx.next();
  }

  /** The route template, never the raw path: paths carry ids and customer data. */
  private static String route(RoutingContext ctx) {
    String template = ctx.currentRoute() == null ? null : ctx.currentRoute().getPath();
    return template != null ? template : "(unmatched)";
  }

  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id != null ? id : "none";
  }
}
