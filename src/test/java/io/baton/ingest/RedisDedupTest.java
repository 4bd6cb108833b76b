package io.baton.ingest;

import io.baton.storage.RedisClients;
import io.baton.support.TestServices;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.UUID;

class RedisDedupTest extends DedupContract {

  private final String prefix = "test-" + UUID.randomUUID() + ":";
  private Redis redis;

  private Redis redis() {
    if (redis == null) {
      redis = RedisClients.create(vertx, TestServices.redisUrl());
    }
    return redis;
  }

  @Override
  protected Dedup dedup() {
    return new RedisDedup(redis(), Duration.ofSeconds(2), prefix);
  }

  @Override
  protected StatusTracker statuses() {
    return new RedisStatusTracker(redis(), Duration.ofSeconds(2), prefix);
  }

  @Override
  protected void closeStores() {
    redis.close();
    redis = null;
  }
}
