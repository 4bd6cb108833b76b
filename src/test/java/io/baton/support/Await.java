package io.baton.support;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits on the test thread (never an event loop) for a future, with a bound. */
public final class Await {

  private static final long SECONDS = 20;

  private Await() {
  }

  public static <T> T result(Future<T> future) {
    try {
      return future.await(SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("No answer within " + SECONDS + " s", e);
    }
  }

  /** The failure of a future that must fail. */
  public static Throwable failure(Future<?> future) {
    try {
      future.await(SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("No answer within " + SECONDS + " s", e);
    } catch (RuntimeException expected) {
      return future.cause() != null ? future.cause() : expected;
    }
    throw new AssertionError("Expected a failure, got " + future.result());
  }
}
