package io.baton.handoff.triggers;

import io.baton.handoff.ChatMessage;
import io.baton.handoff.Priority;
import io.baton.handoff.rules.ConfigReader;
import io.baton.handoff.rules.RuleContext;
import io.baton.handoff.rules.Transcript;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a human should take over a conversation.
 *
 * <p>Built once from the {@code triggers} config section; everything (phrase tries, lexicon,
 * rule conditions) is compiled then, and the engine is immutable, so any number of event-loop
 * threads may call it at once. An evaluation does no I/O and allocates only per-call state.
 */
public final class TriggerEngine {

  private final List<Trigger> triggers;
  private final List<CustomRule> customRules;
  private final JsonObject effectiveConfig;

  private TriggerEngine(List<Trigger> triggers, List<CustomRule> customRules,
      JsonObject effectiveConfig) {
    this.triggers = List.copyOf(triggers);
    this.customRules = List.copyOf(customRules);
    this.effectiveConfig = effectiveConfig;
  }

  /**
   * Compiles the {@code triggers} config section; null or an empty section means all defaults.
   *
   * @throws IllegalArgumentException naming the setting, for an unknown setting, a value out of
   *     range, a bad phrase or an invalid custom rule
   */
  public static TriggerEngine fromConfig(JsonObject triggersSection) {
    ConfigReader config = ConfigReader.of(triggersSection, "triggers");
    List<Trigger> triggers = new ArrayList<>(4);
    addIfEnabled(triggers,
        DirectRequestTrigger.fromConfig(config.section(DirectRequestTrigger.NAME)));
    addIfEnabled(triggers,
        FailurePatternTrigger.fromConfig(config.section(FailurePatternTrigger.NAME)));
    addIfEnabled(triggers,
        CriticalKeywordTrigger.fromConfig(config.section(CriticalKeywordTrigger.NAME)));
    addIfEnabled(triggers,
        NegativeSentimentTrigger.fromConfig(config.section(NegativeSentimentTrigger.NAME)));

    JsonArray ruleSpecs = config.sections("custom_rules", new JsonArray());
    List<CustomRule> customRules = new ArrayList<>(ruleSpecs.size());
    Set<String> names = new HashSet<>();
    JsonArray effectiveRules = new JsonArray();
    for (int i = 0; i < ruleSpecs.size(); i++) {
      CustomRule rule =
          CustomRule.fromConfig(ruleSpecs.getJsonObject(i), "triggers.custom_rules[" + i + "]");
      if (!names.add(rule.name())) {
        throw new IllegalArgumentException("triggers.custom_rules[" + i + "].name: '"
            + rule.name() + "' is used by an earlier rule; rule names must be unique");
      }
      customRules.add(rule);
      effectiveRules.add(rule.config());
    }
    config.putEffective("custom_rules", effectiveRules);
    config.rejectUnknownKeys();
    return new TriggerEngine(triggers, customRules, config.effective());
  }

  private static void addIfEnabled(List<Trigger> triggers, Trigger trigger) {
    if (trigger != null) {
      triggers.add(trigger);
    }
  }

  /**
   * The most important trigger that fires (highest suggested priority, then highest
   * confidence), or empty when the bot can carry on.
   *
   * @param metadata the caller's metadata, for custom rules; may be null
   * @param channel the conversation's channel, for custom rules; may be null (then
   *     {@code metadata.channel} is used)
   */
  public Optional<TriggerResult> evaluate(List<ChatMessage> transcript, JsonObject metadata,
      String channel) {
    List<TriggerResult> all = evaluateAll(transcript, metadata, channel);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /** Every trigger that fires, most important first. */
  public List<TriggerResult> evaluateAll(List<ChatMessage> transcript, JsonObject metadata,
      String channel) {
    Transcript analysed = Transcript.of(transcript);
    List<TriggerResult> fired = new ArrayList<>(2);
    for (Trigger trigger : triggers) {
      TriggerResult result = trigger.evaluate(analysed);
      if (result != null) {
        fired.add(result);
      }
    }
    if (!customRules.isEmpty()) {
      Set<TriggerType> firedTypes = EnumSet.noneOf(TriggerType.class);
      Priority highest = null;
      for (TriggerResult result : fired) {
        firedTypes.add(result.type());
        highest = result.suggestedPriority().atLeast(highest);
      }
      RuleContext context = new RuleContext(analysed, metadata, channel, highest, firedTypes);
      for (CustomRule rule : customRules) {
        TriggerResult result = rule.evaluate(context);
        if (result != null) {
          fired.add(result);
        }
      }
    }
    fired.sort(TriggerResult.MOST_IMPORTANT_FIRST);
    return fired;
  }

  /** The settings in force, defaults filled in, in config form (a copy): for start-up logs. */
  public JsonObject effectiveConfig() {
    return effectiveConfig.copy();
  }
}
