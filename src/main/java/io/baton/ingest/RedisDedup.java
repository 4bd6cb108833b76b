package io.baton.ingest;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code SET <prefix>dedup:<channel>:<id> 1 NX EX <ttl>}: the first SET wins, on every instance. A
 * webhook's ids go in one batch: one write and one round trip however many messages it carries.
 */
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
  public Future<List<Boolean>> claimAll(String channel, List<String> providerMessageIds, Duration ttl) {
    long seconds = Math.max(1, ttl.toSeconds());
    return batch(providerMessageIds.stream().map(id -> Request.cmd(Command.SET).arg(key(channel, id)).arg("1")
            .arg("NX").arg("EX").arg(seconds)).toList())
        .map(replies -> replies.stream().map(reply -> reply != null && "OK".equals(reply.toString())).toList());
  }

  @Override
  public Future<Void> releaseAll(String channel, List<String> providerMessageIds) {
    return batch(providerMessageIds.stream().map(id -> Request.cmd(Command.DEL).arg(key(channel, id))).toList())
        .mapEmpty();
  }

  private Future<List<Response>> batch(List<Request> requests) {
    return requests.isEmpty() ? Future.succeededFuture(List.of())
        : redis.batch(requests).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public String cacheType() {
    return "redis";
  }
}
