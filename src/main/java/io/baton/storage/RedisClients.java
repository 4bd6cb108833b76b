package io.baton.storage;

import io.baton.config.BatonConfig.RedisConfig;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * The Redis client of the webhook path. One webhook POST can carry 1,000 messages, each a dedup
 * claim: the client's default wait queue (24) would refuse most of them, so the queue is larger,
 * and still bounded: past it, commands fail fast (503) instead of piling up.
 */
public final class RedisClients {

  static final int POOL_SIZE = 16;
  static final int MAX_WAITING = 4_096;

  private RedisClients() {
  }

  public static Redis create(Vertx vertx, RedisConfig config) {
    return create(vertx, config.url());
  }

  public static Redis create(Vertx vertx, String url) {
    return Redis.createClient(vertx, new RedisOptions()
        .setConnectionString(url)
        .setMaxPoolSize(POOL_SIZE)
        .setMaxPoolWaiting(MAX_WAITING));
  }
}
