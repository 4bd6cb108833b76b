package io.baton.ingest;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** {@code SET <prefix>dedup:<channel>:<id> 1 NX EX <ttl>}: the first SET wins, on every instance. */
public final class RedisDedup implements Dedup {

  private final Redis redis;
  private final long timeoutMillis;
  private final String prefix;

  public RedisDedup(Redis redis, Duration timeout, String prefix) {
    this.prefix = prefix;
    this.redis = redis;
    this.timeoutMillis = timeout.toMillis();
  }

  private String key(String channel, String providerMessageId) {
    return prefix + "dedup:" + channel + ":" + providerMessageId;
  }

  @Override
  public Future<Boolean> claim(String channel, String providerMessageId, Duration ttl) {
    return redis.send(Request.cmd(Command.SET).arg(key(channel, providerMessageId)).arg("1").arg("NX")
            .arg("EX").arg(Math.max(1, ttl.toSeconds())))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .map(reply -> reply != null && "OK".equals(reply.toString()));
  }

  @Override
  public Future<Void> release(String channel, String providerMessageId) {
    return redis.send(Request.cmd(Command.DEL).arg(key(channel, providerMessageId)))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .mapEmpty();
  }

  @Override
  public String cacheType() {
    return "redis";
  }
}
