package io.baton.outbound;

import io.baton.support.BatonInstance;
import io.baton.support.MutableClock;
import io.baton.support.TestServices;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

class PgOutboundApiTest extends OutboundApiContract {

  @Override
  protected BatonInstance startBaton(Map<String, String> env, MutableClock clock) {
    Map<String, String> withRedis = new HashMap<>(env);
    // Statuses in Redis, as production runs, under a prefix of this class's own.
    withRedis.put("BATON_REDIS_URL", TestServices.redisUrl());
    withRedis.put("BATON_REDIS_KEY_PREFIX", "test:" + UUID.randomUUID() + ":");
    return BatonInstance.postgres(withRedis, clock);
  }
}
