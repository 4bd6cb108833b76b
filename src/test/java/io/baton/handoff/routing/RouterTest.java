package io.baton.handoff.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.handoff.ChatMessage;
import io.baton.handoff.Priority;
import io.baton.handoff.Speaker;
import io.baton.handoff.triggers.TriggerType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RouterTest {

  private static final List<ChatMessage> BILLING = List.of(
      ChatMessage.user("I need help with billing"), ChatMessage.ai("Let me transfer you"));

  /** A router with one rule {@code probe} (queue {@code hit}) guarded by {@code condition}. */
  private static Router probe(JsonObject condition) {
    return Router.fromConfig(new JsonObject().put("rules", new JsonArray().add(new JsonObject()
        .put("name", "probe").put("when", new JsonArray().add(condition)).put("queue", "hit"))));
  }

  private static RoutingInput input(List<ChatMessage> transcript, JsonObject metadata) {
    return new RoutingInput(transcript, metadata, Priority.MEDIUM, null, null);
  }

  private static boolean matches(Router router, RoutingInput in) {
    return router.route(in).rule().equals("probe");
  }

  private static JsonObject when(String json) {
    return new JsonObject(json);
  }

  @Nested
  class ShippedRules {
    private final Router router = Router.fromConfig(new JsonObject());

    @Test
    void billingQuestionGoesToBillingSupport() {
      RoutingDecision decision = router.route(new RoutingInput(BILLING,
          new JsonObject().put("channel", "web").put("product", "premium"), Priority.MEDIUM,
          TriggerType.DIRECT_REQUEST, null));

      assertThat(decision.queue()).isEqualTo("billing_support");
      assertThat(decision.rule()).isEqualTo("billing_issues");
    }

    @Test
    void vipWinsOverBillingBecauseItComesFirst() {
      RoutingDecision decision = router.route(input(List.of(ChatMessage.user("billing question")),
          new JsonObject().put("tier", "vip")));

      assertThat(decision.queue()).isEqualTo("vip_support");
      assertThat(decision.rule()).isEqualTo("vip_routing");
    }

    @Test
    void anythingElseGoesToGeneralSupportUnderTheDefaultRule() {
      RoutingDecision decision = router.route(input(
          List.of(ChatMessage.user("my parcel is late")), new JsonObject().put("tier", "gold")));

      assertThat(decision).isEqualTo(
          new RoutingDecision("default", "general_support", null, null, List.of()));
    }

    @Test
    void billingWordsFromTheBotAloneDoNotRouteToBilling() {
      RoutingDecision decision = router.route(input(List.of(
          ChatMessage.ai("Is this about a payment?"), ChatMessage.user("no, my parcel is late")),
          null));

      assertThat(decision.rule()).isEqualTo("default");
    }

    @Test
    void billingKeywordsAreWholeWords() {
      assertThat(router.route(input(List.of(ChatMessage.user("my phone charger broke")), null))
          .rule()).isEqualTo("default");
      assertThat(router.route(input(List.of(ChatMessage.user("Why was I CHARGED twice?")), null))
          .rule()).isEqualTo("billing_issues");
    }
  }

  @Nested
  class FieldConditions {
    @Test
    void equalsIgnoresCaseOfStrings() {
      Router router = probe(when("{\"field\": \"metadata.tier\", \"equals\": \"vip\"}"));

      assertThat(matches(router, input(BILLING, new JsonObject().put("tier", "VIP")))).isTrue();
      assertThat(matches(router, input(BILLING, new JsonObject().put("tier", "gold")))).isFalse();
      assertThat(matches(router, input(BILLING, null))).isFalse();
    }

    @Test
    void equalsComparesNumbersByValueAndBooleansByValue() {
      Router number = probe(when("{\"field\": \"seats\", \"equals\": 42}"));
      Router flag = probe(when("{\"field\": \"beta\", \"equals\": true}"));

      assertThat(matches(number, input(BILLING, new JsonObject().put("seats", 42.0)))).isTrue();
      assertThat(matches(number, input(BILLING, new JsonObject().put("seats", "42")))).isTrue();
      assertThat(matches(number, input(BILLING, new JsonObject().put("seats", 43)))).isFalse();
      assertThat(matches(flag, input(BILLING, new JsonObject().put("beta", true)))).isTrue();
      assertThat(matches(flag, input(BILLING, new JsonObject().put("beta", false)))).isFalse();
    }

    @Test
    void dottedPathsReachIntoNestedMetadataWithOrWithoutTheMetadataPrefix() {
      JsonObject metadata = new JsonObject().put("customer", new JsonObject().put("tier", "vip"));

      assertThat(matches(probe(when(
          "{\"field\": \"metadata.customer.tier\", \"equals\": \"vip\"}")), input(BILLING,
          metadata))).isTrue();
      assertThat(matches(probe(when("{\"field\": \"customer.tier\", \"equals\": \"vip\"}")),
          input(BILLING, metadata))).isTrue();
      assertThat(matches(probe(when(
          "{\"field\": \"metadata.customer.tier.level\", \"equals\": \"vip\"}")), input(BILLING,
          metadata))).isFalse();
    }

    @Test
    void inMatchesAnyListedValue() {
      Router router = probe(when("{\"field\": \"country\", \"in\": [\"BR\", \"PT\"]}"));

      assertThat(matches(router, input(BILLING, new JsonObject().put("country", "pt")))).isTrue();
      assertThat(matches(router, input(BILLING, new JsonObject().put("country", "ES")))).isFalse();
    }

    @Test
    void existsTestsPresenceAndAbsence() {
      Router present = probe(when("{\"field\": \"order.id\", \"exists\": true}"));
      Router absent = probe(when("{\"field\": \"order.id\", \"exists\": false}"));
      JsonObject withOrder = new JsonObject().put("order", new JsonObject().put("id", "A1"));
      JsonObject withNullId = new JsonObject().put("order", new JsonObject().putNull("id"));

      assertThat(matches(present, input(BILLING, withOrder))).isTrue();
      assertThat(matches(present, input(BILLING, withNullId))).isFalse();
      assertThat(matches(absent, input(BILLING, withNullId))).isTrue();
      assertThat(matches(absent, input(BILLING, withOrder))).isFalse();
    }
  }

  @Nested
  class ContentConditions {
    private final List<ChatMessage> transcript = List.of(
        ChatMessage.user("Hola, tengo un problema con la facturación"),
        ChatMessage.ai("Do you mean your credit card?"),
        ChatMessage.user("I also want to return a jacket"));

    @Test
    void keywordsIgnoreCaseAndAccentsAndMatchPhrases() {
      Router accent = probe(when("{\"keywords\": [\"FACTURACION\"]}"));
      Router phrase = probe(when("{\"keywords\": [\"return a jacket\"]}"));

      assertThat(matches(accent, input(transcript, null))).isTrue();
      assertThat(matches(phrase, input(transcript, null))).isTrue();
    }

    @Test
    void keywordScopesSelectWhichMessagesAreRead() {
      Router anyMessage = probe(when("{\"keywords\": [\"credit card\"], \"scope\": \"any\"}"));
      Router userMessages = probe(when("{\"keywords\": [\"credit card\"]}"));
      Router lastUser =
          probe(when("{\"keywords\": [\"facturacion\"], \"scope\": \"last_user\"}"));
      Router lastUserReturn =
          probe(when("{\"keywords\": [\"return\"], \"scope\": \"last_user\"}"));

      assertThat(matches(anyMessage, input(transcript, null))).isTrue();
      assertThat(matches(userMessages, input(transcript, null))).isFalse();
      assertThat(matches(lastUser, input(transcript, null))).isFalse();
      assertThat(matches(lastUserReturn, input(transcript, null))).isTrue();
    }

    @Test
    void keywordsWithATrailingStarMatchPrefixes() {
      Router router = probe(when("{\"keywords\": [\"refund*\"]}"));

      assertThat(matches(router, input(List.of(ChatMessage.user("was it refunded?")), null)))
          .isTrue();
      assertThat(matches(router, input(List.of(ChatMessage.user("I want a return")), null)))
          .isFalse();
    }

    @Test
    void regexSearchesRawTextIgnoringCaseWithinItsScope() {
      Router order = probe(when("{\"regex\": \"order #?\\\\d{6}\"}"));
      Router anyScope = probe(when("{\"regex\": \"credit\\\\s+card\", \"scope\": \"any\"}"));

      assertThat(matches(order, input(List.of(ChatMessage.user("ORDER #123456 is late")), null)))
          .isTrue();
      assertThat(matches(order, input(List.of(ChatMessage.user("order 12345 is late")), null)))
          .isFalse();
      assertThat(matches(anyScope, input(transcript, null))).isTrue();
    }

    @Test
    void lastUserScopeWithNoUserMessageDoesNotHold() {
      Router router = probe(when("{\"keywords\": [\"hello\"], \"scope\": \"last_user\"}"));

      assertThat(matches(router, input(List.of(ChatMessage.ai("hello")), null))).isFalse();
    }
  }

  @Nested
  class ContextConditions {
    @Test
    void priorityAtLeastComparesRanks() {
      Router router = probe(when("{\"priority_at_least\": \"high\"}"));

      assertThat(matches(router, withPriority(Priority.HIGH))).isTrue();
      assertThat(matches(router, withPriority(Priority.CRITICAL))).isTrue();
      assertThat(matches(router, withPriority(Priority.MEDIUM))).isFalse();
      assertThat(matches(router, withPriority(null))).isFalse();
    }

    private RoutingInput withPriority(Priority priority) {
      return new RoutingInput(BILLING, null, priority, null, null);
    }

    @Test
    void triggerTakesOneTypeOrAList() {
      Router one = probe(when("{\"trigger\": \"critical_keyword\"}"));
      Router list = probe(when("{\"trigger\": [\"direct_request\", \"FAILURE_PATTERN\"]}"));

      assertThat(matches(one, withTrigger(TriggerType.CRITICAL_KEYWORD))).isTrue();
      assertThat(matches(one, withTrigger(TriggerType.DIRECT_REQUEST))).isFalse();
      assertThat(matches(one, withTrigger(null))).isFalse();
      assertThat(matches(list, withTrigger(TriggerType.FAILURE_PATTERN))).isTrue();
      assertThat(matches(list, withTrigger(TriggerType.NEGATIVE_SENTIMENT))).isFalse();
    }

    private RoutingInput withTrigger(TriggerType trigger) {
      return new RoutingInput(BILLING, null, Priority.LOW, trigger, null);
    }

    @Test
    void channelComesFromTheInputOrElseFromMetadata() {
      Router router = probe(when("{\"channel\": [\"whatsapp\", \"messenger\"]}"));

      assertThat(matches(router, new RoutingInput(BILLING, null, Priority.LOW, null, "WhatsApp")))
          .isTrue();
      assertThat(matches(router, new RoutingInput(BILLING, null, Priority.LOW, null, "web")))
          .isFalse();
      assertThat(matches(router, new RoutingInput(BILLING,
          new JsonObject().put("channel", "messenger"), Priority.LOW, null, null))).isTrue();
      assertThat(matches(router, new RoutingInput(BILLING, null, Priority.LOW, null, null)))
          .isFalse();
    }

    @Test
    void allConditionsOfARuleMustHold() {
      Router router = Router.fromConfig(new JsonObject("""
          {"rules": [{"name": "probe", "queue": "hit", "when": [
            {"field": "tier", "equals": "vip"},
            {"channel": "whatsapp"}]}]}"""));

      assertThat(matches(router, new RoutingInput(BILLING, new JsonObject().put("tier", "vip"),
          Priority.LOW, null, "whatsapp"))).isTrue();
      assertThat(matches(router, new RoutingInput(BILLING, new JsonObject().put("tier", "vip"),
          Priority.LOW, null, "web"))).isFalse();
    }

    @Test
    void anyOfAndNotCombineConditions() {
      Router router = probe(when("""
          {"any_of": [
            {"field": "tier", "equals": "vip"},
            {"all_of": [{"channel": "web"}, {"not": {"field": "tier", "exists": true}}]}]}"""));

      assertThat(matches(router, new RoutingInput(BILLING, new JsonObject().put("tier", "vip"),
          Priority.LOW, null, "sms"))).isTrue();
      assertThat(matches(router, new RoutingInput(BILLING, null, Priority.LOW, null, "web")))
          .isTrue();
      assertThat(matches(router, new RoutingInput(BILLING, new JsonObject().put("tier", "gold"),
          Priority.LOW, null, "web"))).isFalse();
    }
  }

  @Nested
  class Actions {
    @Test
    void aRuleCarriesAgentPriorityFloorAndTags() {
      Router router = Router.fromConfig(new JsonObject("""
          {"rules": [{"name": "legal", "when": [{"keywords": ["lawyer"]}],
            "queue": "legal", "agent": "agent-7", "priority_floor": "urgent",
            "tags": ["legal", "escalated"]}]}"""));

      RoutingDecision decision =
          router.route(input(List.of(ChatMessage.user("I will call my lawyer")), null));

      assertThat(decision).isEqualTo(new RoutingDecision("legal", "legal", "agent-7",
          Priority.URGENT, List.of("legal", "escalated")));
      assertThat(Priority.MEDIUM.atLeast(decision.priorityFloor())).isEqualTo(Priority.URGENT);
    }

    @Test
    void aRuleWithoutQueueUsesTheConfiguredDefaultQueue() {
      Router router = Router.fromConfig(new JsonObject("""
          {"default_queue": "tier1",
           "rules": [{"name": "tag_only", "when": [{"channel": "sms"}], "tags": ["sms"]}]}"""));

      assertThat(router.route(new RoutingInput(BILLING, null, Priority.LOW, null, "sms")))
          .isEqualTo(new RoutingDecision("tag_only", "tier1", null, null, List.of("sms")));
      assertThat(router.route(new RoutingInput(BILLING, null, Priority.LOW, null, "web")))
          .isEqualTo(new RoutingDecision("default", "tier1", null, null, List.of()));
    }

    @Test
    void theFirstMatchingRuleWinsInConfigOrder() {
      JsonObject sales = new JsonObject("""
          {"name": "sales", "when": [{"keywords": ["price"]}], "queue": "sales"}""");
      JsonObject europe = new JsonObject("""
          {"name": "europe", "when": [{"field": "region", "equals": "eu"}], "queue": "eu"}""");
      RoutingInput both = input(List.of(ChatMessage.user("what is the price?")),
          new JsonObject().put("region", "eu"));

      assertThat(Router.fromConfig(new JsonObject().put("rules",
          new JsonArray().add(sales).add(europe))).route(both).rule()).isEqualTo("sales");
      assertThat(Router.fromConfig(new JsonObject().put("rules",
          new JsonArray().add(europe).add(sales))).route(both).rule()).isEqualTo("europe");
    }

    @Test
    void anEmptyWhenIsACatchAllAndAnEmptyRuleListRoutesEverythingToTheDefault() {
      Router catchAll = Router.fromConfig(new JsonObject("""
          {"rules": [{"name": "everything", "when": [], "queue": "triage"}]}"""));
      Router none = Router.fromConfig(new JsonObject().put("rules", new JsonArray()));

      assertThat(catchAll.route(input(BILLING, null)).queue()).isEqualTo("triage");
      assertThat(none.route(input(BILLING, new JsonObject().put("tier", "vip"))).rule())
          .isEqualTo("default");
    }

    @Test
    void decisionsCannotBeChangedByCallers() {
      Router router = Router.fromConfig(new JsonObject("""
          {"rules": [{"name": "tagged", "when": [], "tags": ["a"]}]}"""));
      List<String> tags = router.route(input(BILLING, null)).tags();

      assertThatThrownBy(() -> tags.add("b")).isInstanceOf(UnsupportedOperationException.class);
      assertThat(router.route(input(BILLING, null)).tags()).containsExactly("a");
    }

    @Test
    void changingTheConfigAfterBuildingDoesNotChangeTheRouter() {
      JsonObject config = new JsonObject("""
          {"rules": [{"name": "vip", "when": [{"field": "tier", "equals": "vip"}],
            "queue": "vip_support"}]}""");
      Router router = Router.fromConfig(config);

      config.getJsonArray("rules").getJsonObject(0).put("queue", "elsewhere");
      config.getJsonArray("rules").getJsonObject(0).getJsonArray("when").getJsonObject(0)
          .put("equals", "gold");

      assertThat(router.route(input(BILLING, new JsonObject().put("tier", "vip"))).queue())
          .isEqualTo("vip_support");
    }
  }

  @Nested
  class InvalidConfig {
    private void assertRejected(String routing, String... fragments) {
      assertThatThrownBy(() -> Router.fromConfig(new JsonObject(routing)))
          .isInstanceOf(IllegalArgumentException.class)
          .message().contains(fragments);
    }

    @Test
    void unknownConditionNamesTheRuleAndField() {
      assertRejected("""
          {"rules": [{"name": "ok", "when": [], "queue": "q"},
                     {"name": "broken", "when": [{"channel": "web"}, {"weather": "sunny"}],
                      "queue": "q"}]}""",
          "routing.rules[1] 'broken'", "when[1]", "weather");
    }

    @Test
    void badRegexNamesTheRuleAndField() {
      assertRejected("""
          {"rules": [{"name": "orders", "when": [{"regex": "order (\\\\d+"}], "queue": "q"}]}""",
          "'orders'", "when[0].regex", "invalid regular expression");
    }

    @Test
    void unknownPrioritiesNameTheRuleAndField() {
      assertRejected("""
          {"rules": [{"name": "p1", "when": [{"priority_at_least": "SEVERE"}], "queue": "q"}]}""",
          "'p1'", "when[0].priority_at_least", "SEVERE");
      assertRejected("""
          {"rules": [{"name": "p2", "when": [], "priority_floor": "top"}]}""",
          "'p2'", "priority_floor", "top");
    }

    @Test
    void unknownTriggerAndScopeAreRejected() {
      assertRejected("""
          {"rules": [{"name": "t", "when": [{"trigger": ["direct_request", "angry"]}],
            "queue": "q"}]}""", "'t'", "when[0].trigger", "angry");
      assertRejected("""
          {"rules": [{"name": "s", "when": [{"keywords": ["x"], "scope": "first_user"}],
            "queue": "q"}]}""", "'s'", "when[0].scope", "first_user");
    }

    @Test
    void malformedFieldConditionsAreRejected() {
      assertRejected("""
          {"rules": [{"name": "f1", "when": [{"field": "tier", "equals": "vip", "in": ["a"]}],
            "queue": "q"}]}""", "'f1'", "when[0]", "exactly one of equals, in, exists");
      assertRejected("""
          {"rules": [{"name": "f2", "when": [{"field": "tier", "equals": {"a": 1}}],
            "queue": "q"}]}""", "'f2'", "when[0].equals");
      assertRejected("""
          {"rules": [{"name": "f3", "when": [{"field": "a..b", "exists": true}],
            "queue": "q"}]}""", "'f3'", "when[0].field", "empty segment");
      assertRejected("""
          {"rules": [{"name": "f4", "when": [{"field": "tier", "equals": "vip", "scope": "any"}],
            "queue": "q"}]}""", "'f4'", "when[0]", "scope");
    }

    @Test
    void ruleLevelMistakesAreRejected() {
      assertRejected("""
          {"rules": [{"when": [], "queue": "q"}]}""", "routing.rules[0]", "name", "required");
      assertRejected("""
          {"rules": [{"name": "a", "when": [], "queue": "q"},
                     {"name": "a", "when": [], "queue": "r"}]}""", "routing.rules[1]", "unique");
      assertRejected("""
          {"rules": [{"name": "default", "when": [], "queue": "q"}]}""", "reserved");
      assertRejected("""
          {"rules": [{"name": "lazy", "when": []}]}""", "'lazy'", "at least one action");
      assertRejected("""
          {"rules": [{"name": "typo", "when": [], "queues": "q"}]}""", "'typo'", "queues");
      assertRejected("""
          {"rules": [{"name": "nowhen", "queue": "q"}]}""", "'nowhen'", "when", "required");
      assertRejected("""
          {"rules": [{"name": "w", "when": "tier=vip", "queue": "q"}]}""", "'w'", "when");
    }

    @Test
    void unknownTopLevelSettingsAreRejected() {
      assertRejected("""
          {"default_queu": "x"}""", "routing", "default_queu");
      assertRejected("""
          {"rules": {"name": "x"}}""", "routing.rules", "expected a list");
    }
  }

  @Test
  void manyThreadsRoutingAtOnceGetTheSameAnswersAsOneThread() throws Exception {
    Router router = Router.fromConfig(new JsonObject());
    List<RoutingInput> inputs = List.of(
        input(BILLING, null),
        input(List.of(ChatMessage.user("hi")), new JsonObject().put("tier", "vip")),
        input(List.of(new ChatMessage(Speaker.USER, null), new ChatMessage(null, "x")), null),
        input(List.of(ChatMessage.user("where is my parcel")), null));
    List<RoutingDecision> expected = inputs.stream().map(router::route).toList();

    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> runs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        runs.add(pool.submit(() -> {
          for (int i = 0; i < 2_000; i++) {
            int k = i % inputs.size();
            if (!router.route(inputs.get(k)).equals(expected.get(k))) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> run : runs) {
        assertThat(run.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(expected).extracting(RoutingDecision::queue)
        .containsExactly("billing_support", "vip_support", "general_support", "general_support");
  }
}
