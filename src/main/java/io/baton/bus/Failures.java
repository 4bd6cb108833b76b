package io.baton.bus;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Classifies any failure as a {@link BatonException}, in one place for every capability. */
public final class Failures {

  private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

  private Failures() {
  }

  public static BatonException classify(Throwable failure) {
    if (failure instanceof BatonException known) {
      return known;
    }
    if (failure instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case NO_HANDLERS -> new BatonException(BatonError.UNAVAILABLE,
            "The service is starting or stopping; retry shortly");
        case TIMEOUT -> new BatonException(BatonError.TIMEOUT,
            "The request did not finish in time; it may still complete");
        default -> {
          BatonException carried = BatonException.fromBus(reply.failureCode(), reply.getMessage());
          // A failure nobody classified may carry internals in its message: they stay here.
          yield carried.error() == BatonError.INTERNAL ? internal() : carried;
        }
      };
    }
    if (isDependencyDown(failure)) {
      return new BatonException(BatonError.UNAVAILABLE, "The database is unavailable; retry shortly");
    }
    if (isUnstorableText(failure)) {
      return BatonException.unprocessable(
          "Text fields and ids must not contain the NUL character (U+0000), which PostgreSQL cannot store");
    }
    return internal();
  }

  private static BatonException internal() {
    return new BatonException(BatonError.INTERNAL, "An unexpected error occurred");
  }

  /**
   * PostgreSQL refuses U+0000 in text (22021, character not in repertoire) and in jsonb (22P05,
   * untranslatable character): the client's data, not a fault of the service. Found by
   * HostileInputTest with an id of "%00".
   */
  static boolean isUnstorableText(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof PgException pg && ("22021".equals(pg.getSqlState()) || "22P05".equals(pg.getSqlState()))) {
        return true;
      }
    }
    return false;
  }

  /** Connection failures and PostgreSQL's "cannot serve now" classes: retrying later can succeed. */
  static boolean isDependencyDown(Throwable failure) {
    if (failure instanceof PgException pg && pg.getSqlState() != null) {
      String sqlClass = pg.getSqlState().substring(0, 2);
      return sqlClass.equals("08") || sqlClass.equals("53") || sqlClass.equals("57");
    }
    return failure instanceof ConnectException
        || failure instanceof ClosedConnectionException
        || failure instanceof TimeoutException
        || (failure.getCause() != null && failure.getCause() != failure && isDependencyDown(failure.getCause()));
  }

  /**
   * Fails a bus message. Unclassified failures are logged here with their cause and cross the bus
   * without internals.
   */
  public static void fail(Message<?> message, Throwable failure) {
    BatonException classified = classify(failure);
    if (classified.error() == BatonError.INTERNAL || classified.error() == BatonError.UNAVAILABLE) {
      LOG.error("{} failed (request {})", message.address(), message.headers().get(Addresses.REQUEST_ID_HEADER),
          failure);
    }
    classified.failMessage(message);
  }
}
