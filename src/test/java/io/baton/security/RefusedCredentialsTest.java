package io.baton.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.ContractCheck;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Refused credentials are counted per client address: past the limit, 429 instead of 401. */
@Timeout(60)
class RefusedCredentialsTest {

  private static HttpResponse<Buffer> list(BatonInstance baton, String key) {
    return Await.result(baton.client.get("/api/v1/handoffs").putHeader("X-API-Key", key).send());
  }

  @Test
  void guessingKeysFromOneAddressIsSlowedDownAndAValidKeyStillWorks() {
    Map<String, String> env = new HashMap<>(Credentials.env("default"));
    env.put("BATON_SECURITY_REFUSED_CREDENTIALS_PER_MINUTE", "3");
    try (BatonInstance baton = BatonInstance.memory(env)) {
      ContractCheck contract = new ContractCheck(baton.vertx);
      for (int i = 0; i < 3; i++) {
        assertThat(contract.validate("listHandoffs", list(baton, "guess-" + i)).statusCode()).isEqualTo(401);
      }

      HttpResponse<Buffer> slowed = contract.validate("listHandoffs", list(baton, "guess-3"));

      assertThat(slowed.statusCode()).isEqualTo(429);
      assertThat(slowed.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(Long.parseLong(slowed.getHeader("Retry-After"))).isPositive();
      assertThat(slowed.bodyAsJsonObject().getString("detail")).contains("security.refused_credentials_per_minute");
      // A valid credential is never refused, so it is never counted or slowed.
      assertThat(list(baton, Credentials.key("default", Role.PLATFORM)).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void withoutALimitEveryRefusalIsA401() {
    Map<String, String> env = new HashMap<>(Credentials.env("default"));
    env.put("BATON_SECURITY_REFUSED_CREDENTIALS_PER_MINUTE", "0");
    try (BatonInstance baton = BatonInstance.memory(env)) {
      for (int i = 0; i < 10; i++) {
        assertThat(list(baton, "guess-" + i).statusCode()).isEqualTo(401);
      }
    }
  }
}
