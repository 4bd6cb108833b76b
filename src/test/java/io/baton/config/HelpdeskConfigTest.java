package io.baton.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.config.BatonConfig.HelpdeskAdapter;
import io.baton.config.BatonConfig.HelpdeskConfig;
import io.baton.support.BatonInstance;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HelpdeskConfigTest {

  private final JsonObject shipped = BatonInstance.shippedConfig();

  @Test
  void theShippedFileUsesTheBuiltInHelpdeskWithTheDocumentedBreaker() {
    HelpdeskConfig helpdesk = BatonConfig.from(shipped, Map.of()).helpdesk();

    assertThat(helpdesk.adapter()).isEqualTo(HelpdeskAdapter.BUILTIN);
    assertThat(helpdesk.syncTimeout()).isEqualTo(Duration.ofMillis(800));
    assertThat(helpdesk.publicUrl()).isEmpty();
    assertThat(helpdesk.breaker().callTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(helpdesk.breaker().failureThreshold()).isEqualTo(5);
    assertThat(helpdesk.breaker().rollingWindow()).isEqualTo(Duration.ofSeconds(60));
    assertThat(helpdesk.breaker().resetTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void anExternalHelpdeskIsConfiguredFromTheEnvironment() {
    HelpdeskConfig helpdesk = BatonConfig.from(shipped, Map.of(
        "BATON_HELPDESK_ADAPTER", "zendesk",
        "BATON_HELPDESK_ZENDESK_BASE_URL", "https://acme.zendesk.com/",
        "BATON_HELPDESK_ZENDESK_EMAIL", "agent@acme.com",
        "BATON_HELPDESK_ZENDESK_API_TOKEN", "tok",
        "BATON_HELPDESK_PUBLIC_URL", "https://baton.acme.com/")).helpdesk();

    assertThat(helpdesk.adapter()).isEqualTo(HelpdeskAdapter.ZENDESK);
    assertThat(helpdesk.zendesk().baseUrl()).isEqualTo("https://acme.zendesk.com");
    assertThat(helpdesk.publicUrl()).isEqualTo("https://baton.acme.com");
  }

  @Test
  void anExternalHelpdeskWithoutCredentialsStopsStartUp() {
    assertThatThrownBy(() -> BatonConfig.from(shipped, Map.of("BATON_HELPDESK_ADAPTER", "freshdesk")))
        .hasMessageContaining("helpdesk.freshdesk.base_url and api_key");
    assertThatThrownBy(() -> BatonConfig.from(shipped, Map.of("BATON_HELPDESK_ADAPTER", "jira")))
        .hasMessageContaining("helpdesk.adapter must be builtin, zendesk, freshdesk or webhook");
  }
}
