package io.baton.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.config.BatonConfig.Quota;
import io.baton.storage.RedisClients;
import io.baton.support.Await;
import io.baton.support.TestServices;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The contract on the real test Redis, under a key prefix of this run's own; each limiter has its own client. */
class RedisRateLimiterTest extends RateLimiterContract {

  private final String prefix = "test-" + UUID.randomUUID() + ":";
  private final List<Redis> clients = new ArrayList<>();

  @Override
  protected RateLimiter limiter() {
    Redis redis = RedisClients.create(vertx, TestServices.redisUrl());
    clients.add(redis);
    return new RedisRateLimiter(redis, Duration.ofSeconds(2), prefix);
  }

  /** The script reads Redis's own clock, which only real time moves. */
  @Override
  protected void elapse(Duration time) {
    try {
      Thread.sleep(time.toMillis());
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void closeClients() {
    clients.forEach(Redis::close);
  }

  @Test
  void aBucketIsOneKeyOfItsOwnHashSlotThatExpiresWhenItWouldBeFull() {
    RedisRateLimiter limiter = (RedisRateLimiter) limiter();
    String bucket = "api:ip:10.0.0.{7}";
    Await.result(limiter.acquire(bucket, new Quota(10, Duration.ofSeconds(60))));

    String key = limiter.key(bucket);
    long ttl = Await.result(clients.getFirst().send(Request.cmd(Command.PTTL).arg(key))).toLong();

    assertThat(key).isEqualTo(prefix + "rl:{api:ip:10.0.0.(7)}");
    // One request of ten taken: full again after 6 s, plus a second of slack.
    assertThat(ttl).isBetween(5_000L, 7_000L);
  }

  @Test
  void anUnreachableRedisFailsTheTakeWithinTheTimeout() {
    Redis nowhere = RedisClients.create(vertx, "redis://127.0.0.1:1");
    clients.add(nowhere);
    RedisRateLimiter limiter = new RedisRateLimiter(nowhere, Duration.ofMillis(500), prefix);

    Throwable failure = Await.result(limiter.acquire("api:ip:x", new Quota(1, Duration.ofSeconds(1)))
        .transform(taken -> io.vertx.core.Future.succeededFuture(taken.cause())));

    assertThat(failure).isNotNull();
  }
}
