package io.baton.handoff.triggers;

import io.baton.handoff.Priority;
import io.baton.handoff.rules.Condition;
import io.baton.handoff.rules.ConfigReader;
import io.baton.handoff.rules.Conditions;
import io.baton.handoff.rules.RuleContext;
import io.vertx.core.json.JsonObject;

/**
 * An operator's own trigger: when its conditions (the routing condition language) all hold, a
 * human takes over with the rule's priority. Custom rules run after the built-in triggers, so
 * their {@code trigger} and {@code priority_at_least} conditions see what those found.
 *
 * @param config the rule in config form, defaults filled in
 */
record CustomRule(String name, Condition when, Priority priority, String reason,
    JsonObject config) {

  static final Priority DEFAULT_PRIORITY = Priority.MEDIUM;

  /** @param path where the rule sits, e.g. {@code triggers.custom_rules[0]} */
  static CustomRule fromConfig(JsonObject spec, String path) {
    String label = spec.getValue("name") instanceof String named ? path + " '" + named + "'" : path;
    ConfigReader config = ConfigReader.ofRule(spec, label);
    String name = config.string("name", null);
    Condition when = Conditions.parseWhen(config.raw("when"), label, false);
    config.putEffective("when", when.toJson().getJsonArray("all_of"));
    Priority priority = config.priority("priority", DEFAULT_PRIORITY);
    String reason = config.string("reason", "custom rule " + name);
    config.rejectUnknownKeys();
    return new CustomRule(name, when, priority, reason, config.effective());
  }

  TriggerResult evaluate(RuleContext context) {
    if (!when.test(context)) {
      return null;
    }
    return new TriggerResult(TriggerType.CUSTOM_RULE, 1.0, reason, when.evidence(context),
        priority);
  }
}
