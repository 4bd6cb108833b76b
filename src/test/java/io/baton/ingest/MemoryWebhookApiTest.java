package io.baton.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.BatonInstance;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryWebhookApiTest extends WebhookApiContract {

  @Override
  protected BatonInstance startBaton(Map<String, String> env) {
    return BatonInstance.memory(env);
  }

  @Test
  void theEmbeddedModeDedupsInMemory() {
    assertThat(io.baton.support.Await.result(baton.client.get("/stats").send()).bodyAsJsonObject()
        .getJsonObject("deduplication").getString("cache_type")).isEqualTo("memory");
  }
}
