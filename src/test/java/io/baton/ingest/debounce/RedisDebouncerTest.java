package io.baton.ingest.debounce;

import io.baton.storage.RedisClients;
import io.baton.support.TestServices;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.UUID;

class RedisDebouncerTest extends DebouncerContract {

  private final String prefix = "test-" + UUID.randomUUID() + ":";
  private Redis redis;
  private Redis otherRedis;

  @Override
  protected Debouncer debouncer() {
    redis = RedisClients.create(vertx, TestServices.redisUrl());
    return new RedisDebouncer(redis, CONFIG, clock, prefix, Duration.ofSeconds(2));
  }

  @Override
  protected Debouncer secondInstance() {
    otherRedis = RedisClients.create(vertx, TestServices.redisUrl());
    return new RedisDebouncer(otherRedis, CONFIG, clock, prefix, Duration.ofSeconds(2));
  }

  @Override
  protected void closeStores() {
    redis.close();
    if (otherRedis != null) {
      otherRedis.close();
    }
  }
}
