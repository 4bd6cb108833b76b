package io.baton.limits;

import io.baton.config.BatonConfig.Quota;
import io.baton.storage.RedisScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;

/**
 * Token buckets in Redis, shared by every instance. One script takes a request atomically, so two
 * instances racing for a bucket's last request cannot both get it. It reads Redis's own clock, so
 * instances whose clocks drift still agree on refills. Each bucket is one hash under
 * {@code <prefix>rl:{<bucket>}} (a key of its own hash slot: Redis Cluster works unchanged), which
 * expires when it would be full again: a missing bucket is a full one, so nothing is kept longer
 * than it matters.
 */
public final class RedisRateLimiter implements RateLimiter {

  /** KEYS: the bucket. ARGV: quota, window ms. Answers {1 | 0 (refused), tokens left as a string}. */
  static final String TAKE = """
      local quota = tonumber(ARGV[1])
      local per_ms = quota / tonumber(ARGV[2])
      local time = redis.call('TIME')
      local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
      local state = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'quota')
      local tokens = tonumber(state[1])
      local at = tonumber(state[2])
      if tokens == nil or tonumber(state[3]) ~= quota then
        tokens = quota
        at = now
      elseif now > at then
        tokens = math.min(quota, tokens + (now - at) * per_ms)
        at = now
      end
      local allowed = 0
      if tokens >= 1 then
        tokens = tokens - 1
        allowed = 1
      end
      redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', at, 'quota', quota)
      redis.call('PEXPIRE', KEYS[1], math.ceil((quota - tokens) / per_ms) + 1000)
      return {allowed, tostring(tokens)}
      """;
  private static final RedisScript TAKE_SCRIPT = new RedisScript(TAKE);

  private final Redis redis;
  private final long timeoutMillis;
  private final String prefix;

  public RedisRateLimiter(Redis redis, Duration timeout, String prefix) {
    this.redis = redis;
    this.timeoutMillis = timeout.toMillis();
    this.prefix = prefix;
  }

  @Override
  public Future<RateDecision> acquire(String bucket, Quota quota) {
    String key = key(bucket);
    long windowMs = quota.window().toMillis();
    return TAKE_SCRIPT.run(redis, timeoutMillis, List.of(key), quota.quota(), windowMs)
        .map(answer -> decision(answer, quota));
  }

  /** The key of a bucket; braces in a bucket's name would move its hash tag, so they are replaced. */
  String key(String bucket) {
    return prefix + "rl:{" + bucket.replace('{', '(').replace('}', ')') + "}";
  }

  private static RateDecision decision(Response answer, Quota quota) {
    boolean allowed = answer.get(0).toLong() == 1;
    double tokens = Double.parseDouble(answer.get(1).toString());
    return RateDecision.of(allowed, tokens, quota.quota(), (double) quota.quota() / quota.window().toMillis());
  }
}
