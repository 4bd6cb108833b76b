package io.baton.ingest;

import io.baton.storage.RedisScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.List;

/** Statuses in Redis: one compare-and-raise script, so racing instances never move one backwards. */
public final class RedisStatusTracker implements StatusTracker {

  /** KEYS[1] the message's status rank; ARGV[1] the new rank, ARGV[2] the TTL in seconds. */
  static final String RAISE = """
      local current = tonumber(redis.call('GET', KEYS[1]) or '0')
      if tonumber(ARGV[1]) > current then
        redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
        return 1
      end
      return 0
      """;
  private static final RedisScript RAISE_SCRIPT = new RedisScript(RAISE);

  /** KEYS[1] the message's status rank; ARGV[1] the rank to forget. */
  static final String FORGET = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
      return 0
      """;
  private static final RedisScript FORGET_SCRIPT = new RedisScript(FORGET);

  private final Redis redis;
  private final long timeoutMillis;
  private final String prefix;

  public RedisStatusTracker(Redis redis, Duration timeout, String prefix) {
    this.prefix = prefix;
    this.redis = redis;
    this.timeoutMillis = timeout.toMillis();
  }

  @Override
  public Future<Boolean> advance(StatusUpdate update, Duration ttl) {
    return RAISE_SCRIPT.run(redis, timeoutMillis, List.of(key(update)), StatusUpdate.rank(update.status()),
            Math.max(1, ttl.toSeconds()))
        .map(reply -> reply.toInteger() == 1);
  }

  @Override
  public Future<Void> forget(StatusUpdate update) {
    return FORGET_SCRIPT.run(redis, timeoutMillis, List.of(key(update)), StatusUpdate.rank(update.status())).mapEmpty();
  }

  private String key(StatusUpdate update) {
    return prefix + "status:" + update.channel() + ":" + update.providerMessageId();
  }
}
