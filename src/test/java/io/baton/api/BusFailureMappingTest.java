package io.baton.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.bus.Addresses;
import io.baton.config.BatonConfig;
import io.baton.config.BatonConfig.HttpConfig;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP layer alone, with the capabilities missing or silent: 503 and 504, as problems. */
@Timeout(30)
class BusFailureMappingTest {

  private Vertx vertx;
  private WebClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    BatonConfig shipped = BatonConfig.from(BatonInstance.shippedConfig(), Map.of());
    HttpVerticle http = new HttpVerticle(new HttpConfig("127.0.0.1", 0, 1, 262_144, 3_145_728, 8_192, 4_096,
        Duration.ofMillis(300)), shipped.sse(), new StreamLimits(1, 1), HttpLimits.of(shipped, null));
    Await.result(vertx.deployVerticle(http));
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(http.actualPort()));
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void noCapabilityListeningIsServiceUnavailableWithRetryAfter() {
    HttpResponse<Buffer> response = Await.result(client.get("/api/v1/handoffs").send());

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After")).isNotBlank();
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getString("detail")).isNotBlank();
  }

  @Test
  void aCapabilityThatDoesNotAnswerInTimeIsAGatewayTimeout() {
    vertx.eventBus().<JsonObject>consumer(Addresses.HANDOFF_GET, message -> {
      // Never replies.
    });

    HttpResponse<Buffer> response = Await.result(client.get("/api/v1/handoffs/ho-slow").send());

    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(response.bodyAsJsonObject().getString("request_id")).isEqualTo(response.getHeader("X-Request-Id"));
  }

  @Test
  void anUnclassifiedFailureIsAnInternalErrorWithoutInternals() {
    vertx.eventBus().<JsonObject>consumer(Addresses.HANDOFF_GET,
        message -> message.fail(-1, "java.lang.IllegalStateException: secret detail at Foo.java:42"));

    HttpResponse<Buffer> response = Await.result(client.get("/api/v1/handoffs/ho-x").send());

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.bodyAsString()).doesNotContain("secret").doesNotContain("Exception");
  }
}
