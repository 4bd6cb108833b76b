package io.baton.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.BatonInstance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A verified key or token is limited as itself and its tenant, not as the address it calls from. */
@Timeout(60)
class VerifiedRateLimitTest {

  private static List<Integer> statuses(BatonInstance baton, String header, String value, int count) {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      statuses.add(Await.result(baton.client.get("/api/v1/handoffs").putHeader(header, value).send()).statusCode());
    }
    return statuses;
  }

  @Test
  void verifiedCallersCountAgainstTheirOwnBucketNotTheAddresses() {
    Map<String, String> env = new HashMap<>(Credentials.env("default"));
    env.put("BATON_LIMITS_RATE_GROUPS_API_PER_IP", "{\"quota\":2,\"window_seconds\":3600}");
    env.put("BATON_LIMITS_RATE_GROUPS_API_PER_KEY", "{\"quota\":3,\"window_seconds\":3600}");

    try (BatonInstance baton = BatonInstance.memory(env)) {
      List<Integer> platform = statuses(baton, "X-API-Key", Credentials.key("default", Role.PLATFORM), 4);
      List<Integer> agent = statuses(baton, "Authorization", "Bearer " + Credentials.agentToken(baton.vertx, "default"), 4);

      // Past the address's quota of 2, each credential gets its own 3.
      assertThat(platform).containsExactly(200, 200, 200, 429);
      assertThat(agent).containsExactly(200, 200, 200, 429);
    }
  }
}
