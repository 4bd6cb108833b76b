package io.baton.handoff.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.handoff.ChatMessage;
import io.baton.handoff.Priority;
import io.baton.handoff.Speaker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TriggerEngineTest {

  private static final TriggerEngine DEFAULTS = TriggerEngine.fromConfig(new JsonObject());

  private static List<ChatMessage> user(String... messages) {
    return Arrays.stream(messages).map(ChatMessage::user).toList();
  }

  private static TriggerEngine engine(String triggersJson) {
    return TriggerEngine.fromConfig(new JsonObject(triggersJson));
  }

  private static List<TriggerType> fired(TriggerEngine engine, List<ChatMessage> transcript) {
    return engine.evaluateAll(transcript, null, null).stream().map(TriggerResult::type).toList();
  }

  @Test
  void wireNamesAreSnakeCase() {
    assertThat(Arrays.stream(TriggerType.values()).map(TriggerType::wireName)).containsExactly(
        "direct_request", "failure_pattern", "critical_keyword", "negative_sentiment",
        "custom_rule");
    assertThat(TriggerType.parse("Negative_Sentiment")).contains(TriggerType.NEGATIVE_SENTIMENT);
    assertThat(TriggerType.parse("angry")).isEmpty();
  }

  @Nested
  class Ranking {
    private final List<ChatMessage> everything = List.of(
        ChatMessage.user("where is my parcel 123"),
        ChatMessage.ai("I don't understand."),
        ChatMessage.user("where is my parcel 123"),
        ChatMessage.ai("Could you rephrase?"),
        ChatMessage.user("This is fraud, you are USELESS, get me a human!!!"));

    @Test
    void evaluateAllListsEveryFiredTriggerMostImportantFirst() {
      List<TriggerResult> all = DEFAULTS.evaluateAll(everything, null, null);

      assertThat(all).extracting(TriggerResult::type).containsExactly(
          TriggerType.CRITICAL_KEYWORD, TriggerType.DIRECT_REQUEST,
          TriggerType.NEGATIVE_SENTIMENT, TriggerType.FAILURE_PATTERN);
      assertThat(all).isSortedAccordingTo(TriggerResult.MOST_IMPORTANT_FIRST);
      assertThat(DEFAULTS.evaluate(everything, null, null)).contains(all.get(0));
    }

    @Test
    void equalPrioritiesAreRankedByConfidence() {
      TriggerResult sure = new TriggerResult(TriggerType.NEGATIVE_SENTIMENT, 0.9, "", "",
          Priority.HIGH);
      TriggerResult unsure = new TriggerResult(TriggerType.DIRECT_REQUEST, 0.6, "", "",
          Priority.HIGH);
      TriggerResult higher = new TriggerResult(TriggerType.FAILURE_PATTERN, 0.1, "", "",
          Priority.URGENT);
      List<TriggerResult> results = new ArrayList<>(List.of(unsure, sure, higher));

      results.sort(TriggerResult.MOST_IMPORTANT_FIRST);

      assertThat(results).containsExactly(higher, sure, unsure);
    }

    @Test
    void confidenceOutsideZeroToOneIsRejected() {
      assertThatThrownBy(() -> new TriggerResult(TriggerType.CUSTOM_RULE, 1.5, "", "",
          Priority.LOW)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Settings {
    @ParameterizedTest(name = "{0} can be switched off")
    @CsvSource({
        "direct_request,     I want to talk to a human",
        "critical_keyword,   my account was hacked",
        "negative_sentiment, THIS IS TERRIBLE AND USELESS"})
    void eachTriggerCanBeSwitchedOff(String trigger, String message) {
      TriggerEngine off = engine("{\"" + trigger + "\": {\"enabled\": false}}");
      TriggerType type = TriggerType.parse(trigger).orElseThrow();

      assertThat(fired(DEFAULTS, user(message))).contains(type);
      assertThat(fired(off, user(message))).doesNotContain(type);
    }

    @Test
    void failurePatternCanBeSwitchedOffAndTuned() {
      List<ChatMessage> twoFailures = List.of(ChatMessage.user("x"),
          ChatMessage.ai("I don't understand"), ChatMessage.user("y"),
          ChatMessage.ai("Could you rephrase?"));

      assertThat(fired(DEFAULTS, twoFailures)).isEmpty();
      assertThat(fired(engine("{\"failure_pattern\": {\"failures\": 2}}"), twoFailures))
          .containsExactly(TriggerType.FAILURE_PATTERN);
      assertThat(fired(engine("{\"failure_pattern\": {\"failures\": 2, \"enabled\": false}}"),
          twoFailures)).isEmpty();
      assertThat(fired(engine("{\"failure_pattern\": {\"failures\": 2, \"window\": 2}}"),
          twoFailures)).as("only the last two messages are read").isEmpty();
    }

    @Test
    void extraFailurePhrasesAreRecognised() {
      List<ChatMessage> transcript = List.of(ChatMessage.user("a"),
          ChatMessage.ai("Computer says no."), ChatMessage.user("b"),
          ChatMessage.ai("Computer says no!"), ChatMessage.user("c"),
          ChatMessage.ai("Hmm, computer says no"));

      assertThat(fired(DEFAULTS, transcript)).isEmpty();
      assertThat(fired(engine("{\"failure_pattern\": {\"extra_phrases\": [\"computer says no\"],"
          + " \"repeat_min_words\": 10}}"), transcript))
          .containsExactly(TriggerType.FAILURE_PATTERN);
    }

    @Test
    void directRequestExtraPhrasesAndPriority() {
      TriggerEngine custom = engine("""
          {"direct_request": {"extra_phrases": ["speak * boss"], "priority": "urgent"}}""");

      assertThat(DEFAULTS.evaluate(user("let me speak to your boss"), null, null)).isEmpty();
      assertThat(custom.evaluate(user("let me speak to your boss"), null, null))
          .hasValueSatisfying(r -> {
            assertThat(r.type()).isEqualTo(TriggerType.DIRECT_REQUEST);
            assertThat(r.suggestedPriority()).isEqualTo(Priority.URGENT);
            assertThat(r.matched()).isEqualTo("speak to your boss");
          });
    }

    @Test
    void directRequestReadsOnlyTheLatestUserMessagesConfigured() {
      List<ChatMessage> transcript = List.of(ChatMessage.user("I want a human"),
          ChatMessage.ai("Sure, one moment"), ChatMessage.user("ok"));

      assertThat(fired(DEFAULTS, transcript)).isEmpty();
      assertThat(fired(engine("{\"direct_request\": {\"user_messages\": 2}}"), transcript))
          .containsExactly(TriggerType.DIRECT_REQUEST);
    }

    @Test
    void extraCriticalAndUrgentTermsAreAdded() {
      TriggerEngine custom = engine("""
          {"critical_keyword": {"extra_urgent": ["data breach"], "extra_critical": ["overdose"]}}
          """);

      assertThat(DEFAULTS.evaluate(user("was there a data breach?"), null, null)).isEmpty();
      assertThat(custom.evaluate(user("was there a Data-Breach?"), null, null)
          .map(TriggerResult::suggestedPriority)).contains(Priority.URGENT);
      assertThat(custom.evaluate(user("I took an overdose"), null, null)
          .map(TriggerResult::suggestedPriority)).contains(Priority.CRITICAL);
    }

    @Test
    void criticalKeywordsOnlyReadTheWindow() {
      List<ChatMessage> transcript = new ArrayList<>(user("this is fraud"));
      for (int i = 0; i < 10; i++) {
        transcript.add(ChatMessage.ai("Let me look into it, step " + i));
      }

      assertThat(fired(DEFAULTS, transcript)).isEmpty();
      assertThat(fired(engine("{\"critical_keyword\": {\"window\": 11}}"), transcript))
          .containsExactly(TriggerType.CRITICAL_KEYWORD);
    }

    @Test
    void sentimentThresholdsAndLexiconAreConfigurable() {
      List<ChatMessage> meh = user("meh, meh.");

      assertThat(fired(DEFAULTS, meh)).isEmpty();
      assertThat(engine("{\"negative_sentiment\": {\"lexicon\": {\"meh\": -3}}}")
          .evaluate(meh, null, null).map(TriggerResult::suggestedPriority))
          .contains(Priority.HIGH);
      assertThat(engine("{\"negative_sentiment\": {\"threshold\": -0.5}}")
          .evaluate(user("This is terrible"), null, null)).isPresent();
      assertThat(engine("{\"negative_sentiment\": {\"lexicon\": {\"terrible\": 0}}}")
          .evaluate(user("This is terrible!!!"), null, null)).isEmpty();
    }

    @Test
    void numbersAndBooleansWrittenAsStringsAreAccepted() {
      TriggerEngine fromEnvironment = engine("""
          {"failure_pattern": {"failures": "2", "enabled": "TRUE"}}""");

      assertThat(fromEnvironment.effectiveConfig().getJsonObject("failure_pattern")
          .getInteger("failures")).isEqualTo(2);
    }

    @Test
    void emptyAndNullConfigMeanAllDefaults() {
      JsonObject effective = DEFAULTS.effectiveConfig();

      assertThat(TriggerEngine.fromConfig(null).effectiveConfig()).isEqualTo(effective);
      assertThat(effective.getJsonObject("failure_pattern").getMap()).containsEntry("failures", 3)
          .containsEntry("window", 5).containsEntry("priority", "MEDIUM");
      assertThat(effective.getJsonObject("direct_request").getString("priority"))
          .isEqualTo("HIGH");
      assertThat(effective.getJsonObject("negative_sentiment").getDouble("threshold"))
          .isEqualTo(-0.65);
      assertThat(effective.getJsonArray("custom_rules")).isEmpty();
    }
  }

  @Nested
  class CustomRules {
    @Test
    void aRuleSeesMetadataChannelAndWhatTheBuiltInTriggersFound() {
      TriggerEngine engine = engine("""
          {"custom_rules": [
            {"name": "gold_and_upset", "priority": "CRITICAL", "reason": "gold customer upset",
             "when": [{"field": "metadata.account.tier", "equals": "gold"},
                      {"trigger": "negative_sentiment"},
                      {"priority_at_least": "MEDIUM"}]}]}""");
      JsonObject gold = new JsonObject().put("account", new JsonObject().put("tier", "gold"));

      assertThat(engine.evaluate(user("This is terrible!!!"), gold, "web")).hasValueSatisfying(
          r -> {
            assertThat(r.type()).isEqualTo(TriggerType.CUSTOM_RULE);
            assertThat(r.suggestedPriority()).isEqualTo(Priority.CRITICAL);
            assertThat(r.reason()).isEqualTo("gold customer upset");
            assertThat(r.matched()).contains("metadata.account.tier = gold");
          });
      assertThat(engine.evaluate(user("Thanks, all good"), gold, "web")).isEmpty();
      assertThat(engine.evaluate(user("This is terrible!!!"), null, "web")
          .map(TriggerResult::type)).contains(TriggerType.NEGATIVE_SENTIMENT);
    }

    @Test
    void priorityAndReasonDefaultAndMatchedShowsTheMatchedText() {
      TriggerEngine engine = engine("""
          {"custom_rules": [{"name": "gdpr", "when": {"keywords": ["delete my data"]}}]}""");

      assertThat(engine.evaluate(user("Please DELETE my data now"), null, null))
          .contains(new TriggerResult(TriggerType.CUSTOM_RULE, 1.0, "custom rule gdpr",
              "DELETE my data", Priority.MEDIUM));
    }

    @Test
    void invalidRulesNameTheRuleAndField() {
      assertThatThrownBy(() -> engine("""
          {"custom_rules": [{"name": "r1", "when": [{"regex": "("}]}]}"""))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContainingAll("triggers.custom_rules[0] 'r1'", "when[0].regex");
      assertThatThrownBy(() -> engine("""
          {"custom_rules": [{"name": "r2", "when": [], "priority": "LOW"}]}"""))
          .hasMessageContainingAll("'r2'", "when", "at least one condition");
      assertThatThrownBy(() -> engine("""
          {"custom_rules": [{"name": "r3", "when": [{"channel": "web"}], "priority": "P1"}]}"""))
          .hasMessageContainingAll("'r3'", "priority", "P1");
      assertThatThrownBy(() -> engine("""
          {"custom_rules": [{"name": "r4", "when": [{"channel": "web"}]},
                            {"name": "r4", "when": [{"channel": "sms"}]}]}"""))
          .hasMessageContainingAll("custom_rules[1]", "unique");
    }
  }

  @Nested
  class InvalidSettings {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"direct_request\": {\"enabeld\": false}}  | triggers.direct_request: unknown setting enabeld",
        "{\"sentiment\": {}}                         | triggers: unknown setting sentiment",
        "{\"failure_pattern\": {\"failures\": 0}}    | triggers.failure_pattern.failures",
        "{\"failure_pattern\": {\"failures\": 2.5}}  | triggers.failure_pattern.failures",
        "{\"failure_pattern\": {\"failures\": 6}}    | triggers.failure_pattern.window: must be at least",
        "{\"failure_pattern\": {\"similarity\": 2}}  | triggers.failure_pattern.similarity",
        "{\"negative_sentiment\": {\"threshold\": 0.5}} | triggers.negative_sentiment.threshold",
        "{\"negative_sentiment\": {\"high_threshold\": -0.5}} | triggers.negative_sentiment.high_threshold",
        "{\"negative_sentiment\": {\"lexicon\": {\"meh\": -9}}} | triggers.negative_sentiment.lexicon.meh",
        "{\"negative_sentiment\": {\"lexicon\": [\"meh\"]}} | triggers.negative_sentiment.lexicon",
        "{\"critical_keyword\": {\"extra_urgent\": \"* bad\"}} | triggers.critical_keyword.extra_urgent",
        "{\"critical_keyword\": {\"extra_critical\": [3]}} | triggers.critical_keyword.extra_critical[0]",
        "{\"direct_request\": {\"priority\": \"asap\"}} | triggers.direct_request.priority",
        "{\"direct_request\": {\"enabled\": \"maybe\"}} | triggers.direct_request.enabled",
        "{\"direct_request\": true}                  | triggers.direct_request: expected a section",
        "{\"custom_rules\": {}}                      | triggers.custom_rules: expected a list"})
    void rejectedWithTheSettingNamed(String config, String message) {
      assertThatThrownBy(() -> engine(config))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(message.trim());
    }
  }

  @Nested
  class Robustness {
    @Test
    void nullsAndOddTranscriptsDoNotThrow() {
      List<ChatMessage> odd = Arrays.asList(null, new ChatMessage(null, "hello"),
          new ChatMessage(Speaker.USER, null), new ChatMessage(Speaker.USER, ""),
          new ChatMessage(Speaker.USER, "!!!???..."), new ChatMessage(Speaker.SYSTEM, "human"));

      assertThat(DEFAULTS.evaluate(null, null, null)).isEmpty();
      assertThat(DEFAULTS.evaluate(List.of(), new JsonObject(), "web")).isEmpty();
      assertThat(DEFAULTS.evaluate(odd, null, null)).isEmpty();
    }

    @Test
    void onlyTheCustomersWordsCountForRequestsKeywordsAndSentiment() {
      List<ChatMessage> agentAndBot = List.of(
          ChatMessage.ai("Would you like to talk to a human? This is terrible!!!"),
          new ChatMessage(Speaker.AGENT, "I am a real person. Fraud team here."),
          new ChatMessage(Speaker.SYSTEM, "suicide prevention resources were shared"));

      assertThat(DEFAULTS.evaluate(agentAndBot, null, null)).isEmpty();
    }

    @Test
    void veryLongMessagesAreHandled() {
      String longMessage = "word ".repeat(20_000) + "I want to talk to a human";

      assertThat(DEFAULTS.evaluate(user(longMessage), null, null).map(TriggerResult::type))
          .contains(TriggerType.DIRECT_REQUEST);
    }

    @Test
    void manyThreadsEvaluatingAtOnceGetTheSameAnswersAsOneThread() throws Exception {
      TriggerEngine engine = engine("""
          {"custom_rules": [{"name": "vip", "when": [{"field": "tier", "equals": "vip"},
                                                    {"keywords": ["refund"]}]}]}""");
      List<List<ChatMessage>> transcripts = List.of(
          user("I want to talk to a human"),
          user("not bad at all"),
          user("THIS IS TERRIBLE!!!", "you are useless"),
          user("I want to kill myself"),
          user("refund please"),
          List.of(ChatMessage.user("a b c"), ChatMessage.ai("I don't understand"),
              ChatMessage.user("a b c"), ChatMessage.ai("I don't understand")));
      JsonObject vip = new JsonObject().put("tier", "vip");
      List<List<TriggerResult>> expected = transcripts.stream()
          .map(t -> engine.evaluateAll(t, vip, null)).toList();

      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Boolean>> runs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          runs.add(pool.submit(() -> {
            for (int i = 0; i < 2_000; i++) {
              int k = i % transcripts.size();
              if (!engine.evaluateAll(transcripts.get(k), vip, null).equals(expected.get(k))) {
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
      assertThat(expected).extracting(List::size).containsExactly(1, 0, 1, 1, 1, 1);
    }
  }

  @Test
  void theEffectiveConfigIsACopy() {
    DEFAULTS.effectiveConfig().put("direct_request", new JsonArray());

    assertThat(DEFAULTS.effectiveConfig().getValue("direct_request"))
        .isInstanceOf(JsonObject.class);
  }
}
