package io.baton.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.config.BatonConfig.Quota;
import io.baton.config.BatonConfig.RedisFailure;
import io.baton.storage.RedisClients;
import io.baton.support.Await;
import io.baton.support.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The limiter while Redis hangs: a server that accepts connections and never answers stands in for it,
 * so each call to it costs the whole timeout.
 */
@Timeout(60)
class FallbackRateLimiterTest {

  private static final Quota QUOTA = new Quota(2, Duration.ofSeconds(600));
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private Vertx vertx;
  private Redis hanging;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    NetServer silent = Await.result(vertx.createNetServer().connectHandler(socket -> {
      // Reads nothing, answers nothing.
    }).listen(0, "127.0.0.1"));
    hanging = RedisClients.create(vertx, "redis://127.0.0.1:" + silent.actualPort());
  }

  @AfterEach
  void stop() {
    hanging.close();
    Await.result(vertx.close());
  }

  private FallbackRateLimiter limiter(RedisFailure mode) {
    return new FallbackRateLimiter(new RedisRateLimiter(hanging, Duration.ofMillis(400), "test:"),
        new MemoryRateLimiter(clock, 100), mode, clock);
  }

  private static long millisOf(Runnable call) {
    long started = System.nanoTime();
    call.run();
    return (System.nanoTime() - started) / 1_000_000;
  }

  @Test
  void localLimitsOnThisInstancesBucketsAndSparesTheTimeoutUntilRedisIsTriedAgain() {
    FallbackRateLimiter limiter = limiter(RedisFailure.LOCAL);
    RateDecision[] decisions = new RateDecision[4];

    long first = millisOf(() -> decisions[0] = Await.result(limiter.acquire("api:ip:a", QUOTA)));
    long second = millisOf(() -> decisions[1] = Await.result(limiter.acquire("api:ip:a", QUOTA)));
    decisions[2] = Await.result(limiter.acquire("api:ip:a", QUOTA));
    clock.advance(Duration.ofMillis(FallbackRateLimiter.RETRY_SHARED_AFTER_MS));
    long retried = millisOf(() -> decisions[3] = Await.result(limiter.acquire("api:ip:b", QUOTA)));

    assertThat(decisions).extracting(RateDecision::allowed).containsExactly(true, true, false, true);
    assertThat(first).as("the first call waits for Redis's timeout").isGreaterThanOrEqualTo(380);
    assertThat(second).as("the next ones do not, for a while").isLessThan(300);
    assertThat(retried).as("then Redis is tried again").isGreaterThanOrEqualTo(380);
  }

  @Test
  void closedRefusesWith503AndOpenLetsEverythingThrough() {
    Throwable refused = Await.result(limiter(RedisFailure.CLOSED).acquire("api:ip:a", QUOTA)
        .transform(taken -> Future.succeededFuture(taken.cause())));
    FallbackRateLimiter open = limiter(RedisFailure.OPEN);

    assertThat(refused).isInstanceOf(BatonException.class);
    assertThat(((BatonException) refused).error()).isEqualTo(BatonError.UNAVAILABLE);
    for (int i = 0; i < 5; i++) {
      assertThat(Await.result(open.acquire("api:ip:a", QUOTA)).allowed()).isTrue();
    }
  }
}
