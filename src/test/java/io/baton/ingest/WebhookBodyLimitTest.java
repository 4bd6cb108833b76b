package io.baton.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Webhook routes have a body limit of their own, separate from the API's. */
@Timeout(60)
class WebhookBodyLimitTest {

  @Test
  void aWebhookBodyOverItsLimitIs413AndTheApiKeepsItsOwn() {
    try (BatonInstance baton = BatonInstance.memory(Map.of(
        "BATON_HTTP_WEBHOOK_BODY_LIMIT_BYTES", "4096",
        "BATON_HTTP_BODY_LIMIT_BYTES", "1024",
        "BATON_CHANNELS_WHATSAPP_APP_SECRET", Vectors.META_SECRET))) {
      Buffer small = Buffer.buffer("{\"object\":\"whatsapp_business_account\",\"pad\":\"" + "x".repeat(3000) + "\"}");
      Buffer large = Buffer.buffer("{\"pad\":\"" + "x".repeat(5000) + "\"}");

      HttpResponse<Buffer> accepted = Await.result(baton.client.post("/webhooks/whatsapp")
          .putHeader("X-Hub-Signature-256", Signatures.meta(Vectors.META_SECRET, small)).sendBuffer(small));
      HttpResponse<Buffer> tooLarge = Await.result(baton.client.post("/webhooks/whatsapp")
          .putHeader("X-Hub-Signature-256", Signatures.meta(Vectors.META_SECRET, large)).sendBuffer(large));
      HttpResponse<Buffer> api = Await.result(baton.client.post("/api/v1/check")
          .putHeader("Content-Type", "application/json").sendBuffer(small));

      assertThat(accepted.statusCode()).isEqualTo(200);
      assertThat(tooLarge.statusCode()).isEqualTo(413);
      assertThat(tooLarge.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(api.statusCode()).isEqualTo(413);
    }
  }
}
