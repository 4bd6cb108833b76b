package io.baton.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.handoff.routing.Router;
import io.baton.handoff.routing.RoutingDecision;
import io.baton.handoff.routing.RoutingInput;
import io.baton.handoff.triggers.TriggerEngine;
import io.baton.handoff.triggers.TriggerType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The triggers and routing sections of {@code conf/baton.yaml} build both engines, show every
 * setting, and agree with the defaults in code.
 */
class ShippedConfigTest {

  private static final Path CONFIG = Path.of("conf", "baton.yaml");

  private final JsonObject config = load();
  private final TriggerEngine triggers = TriggerEngine.fromConfig(config.getJsonObject("triggers"));
  private final Router router = Router.fromConfig(config.getJsonObject("routing"));

  @Test
  void billingSeedRoutesToBillingSupport() {
    RoutingDecision decision = router.route(new RoutingInput(
        List.of(ChatMessage.user("I need help with billing"),
            ChatMessage.ai("Let me transfer you")),
        new JsonObject().put("channel", "web").put("product", "premium"), Priority.MEDIUM, null,
        null));

    assertThat(decision.queue()).isEqualTo("billing_support");
    assertThat(decision.rule()).isEqualTo("billing_issues");
  }

  @Test
  void vipSeedRoutesToVipSupport() {
    RoutingDecision decision = router.route(new RoutingInput(
        List.of(ChatMessage.user("billing question")), new JsonObject().put("tier", "vip"),
        Priority.MEDIUM, null, null));

    assertThat(decision.queue()).isEqualTo("vip_support");
    assertThat(decision.rule()).isEqualTo("vip_routing");
  }

  @Test
  void unmatchedHandoffsGoToGeneralSupport() {
    RoutingDecision decision = router.route(new RoutingInput(
        List.of(ChatMessage.user("my parcel is late")), null, Priority.MEDIUM, null, null));

    assertThat(decision.rule()).isEqualTo("default");
    assertThat(decision.queue()).isEqualTo("general_support");
  }

  @Test
  void shippedTriggersFire() {
    assertThat(triggers.evaluate(List.of(ChatMessage.user("I want to talk to a human")),
        null, "web").map(r -> r.type())).contains(TriggerType.DIRECT_REQUEST);
  }

  @Test
  void yamlAndCodeDefaultsAgree() {
    assertThat(triggers.effectiveConfig())
        .isEqualTo(TriggerEngine.fromConfig(new JsonObject()).effectiveConfig());
    assertThat(router.effectiveConfig())
        .isEqualTo(Router.fromConfig(new JsonObject()).effectiveConfig());
  }

  @Test
  void yamlSpellsOutEverySetting() {
    assertSameKeys("triggers", config.getJsonObject("triggers"), triggers.effectiveConfig());
    assertSameKeys("routing", config.getJsonObject("routing"), router.effectiveConfig());
    assertThat(config.getJsonObject("routing").getJsonArray("rules"))
        .extracting(rule -> ((JsonObject) rule).getString("name"))
        .containsExactly("vip_routing", "billing_issues");
  }

  private static void assertSameKeys(String path, JsonObject yaml, JsonObject effective) {
    assertThat(yaml.fieldNames()).as(path).containsExactlyInAnyOrderElementsOf(
        effective.fieldNames());
    for (String key : effective.fieldNames()) {
      if (effective.getValue(key) instanceof JsonObject section && !key.equals("lexicon")) {
        assertSameKeys(path + "." + key, yaml.getJsonObject(key), section);
      }
    }
  }

  private static JsonObject load() {
    try (Reader reader = Files.newBufferedReader(CONFIG)) {
      Map<String, Object> document = new Yaml().load(reader);
      // Round-trip through JSON so the YAML is held as it will be after vertx-config loads it.
      return new JsonObject(new JsonObject(document).encode());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + CONFIG.toAbsolutePath(), e);
    }
  }

  @Test
  void rulesInTheYamlAreTheShippedDefaultRules() {
    JsonArray fromYaml = Router.fromConfig(config.getJsonObject("routing")).effectiveConfig()
        .getJsonArray("rules");

    assertThat(fromYaml).isEqualTo(Router.fromConfig(
        new JsonObject().put("rules", Router.defaultRules())).effectiveConfig()
        .getJsonArray("rules"));
  }
}
