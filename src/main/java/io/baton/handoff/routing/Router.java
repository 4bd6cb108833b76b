package io.baton.handoff.routing;

import io.baton.handoff.rules.ConfigReader;
import io.baton.handoff.rules.RuleContext;
import io.baton.handoff.rules.Transcript;
import io.baton.handoff.triggers.TriggerType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Picks the queue (and possibly the agent, a priority floor and tags) for a handoff: the first
 * rule, in config order, whose conditions all hold wins; when none does, the decision is the
 * {@code default} rule with {@code routing.default_queue}.
 *
 * <p>Built once from the {@code routing} config section and immutable, so any number of
 * event-loop threads may call it at once.
 */
public final class Router {

  public static final String DEFAULT_RULE = "default";
  public static final String DEFAULT_QUEUE = "general_support";

  private final List<RoutingRule> rules;
  private final RoutingDecision fallback;
  private final JsonObject effectiveConfig;

  private Router(List<RoutingRule> rules, RoutingDecision fallback, JsonObject effectiveConfig) {
    this.rules = List.copyOf(rules);
    this.fallback = fallback;
    this.effectiveConfig = effectiveConfig;
  }

  /**
   * Compiles the {@code routing} config section. Without {@code rules} the shipped rules apply
   * ({@link #defaultRules()}); {@code rules: []} means no rules at all.
   *
   * @throws IllegalArgumentException naming the rule and field, for an unknown condition or
   *     setting, a bad regular expression, an unknown priority or trigger, a duplicate name
   */
  public static Router fromConfig(JsonObject routingSection) {
    ConfigReader config = ConfigReader.of(routingSection, "routing");
    String defaultQueue = config.string("default_queue", DEFAULT_QUEUE);
    JsonArray specs = config.sections("rules", defaultRules());
    List<RoutingRule> rules = new ArrayList<>(specs.size());
    Set<String> names = new HashSet<>();
    JsonArray effectiveRules = new JsonArray();
    for (int i = 0; i < specs.size(); i++) {
      RoutingRule rule =
          RoutingRule.fromConfig(specs.getJsonObject(i), "routing.rules[" + i + "]", defaultQueue);
      if (!names.add(rule.name())) {
        throw new IllegalArgumentException("routing.rules[" + i + "].name: '" + rule.name()
            + "' is used by an earlier rule; rule names must be unique");
      }
      rules.add(rule);
      effectiveRules.add(rule.config());
    }
    config.putEffective("rules", effectiveRules);
    config.rejectUnknownKeys();
    return new Router(rules, new RoutingDecision(DEFAULT_RULE, defaultQueue, null, null, List.of()),
        config.effective());
  }

  /**
   * The rules that ship with Baton, in order: VIP customers to {@code vip_support}, billing
   * questions to {@code billing_support}. A fresh copy each time, so callers may change it.
   */
  public static JsonArray defaultRules() {
    return new JsonArray()
        .add(new JsonObject()
            .put("name", "vip_routing")
            .put("when", new JsonArray().add(new JsonObject()
                .put("field", "metadata.tier").put("equals", "vip")))
            .put("queue", "vip_support"))
        .add(new JsonObject()
            .put("name", "billing_issues")
            .put("when", new JsonArray().add(new JsonObject()
                .put("keywords", new JsonArray(List.of("billing", "invoice", "invoices", "refund",
                    "refunds", "refunded", "charge", "charges", "charged", "payment", "payments")))
                .put("scope", "any_user")))
            .put("queue", "billing_support"));
  }

  public RoutingDecision route(RoutingInput in) {
    RuleContext context = new RuleContext(Transcript.of(in.transcript()), in.metadata(),
        in.channel(), in.priority(), in.trigger() == null ? Set.<TriggerType>of()
        : Set.of(in.trigger()));
    for (RoutingRule rule : rules) {
      if (rule.when().test(context)) {
        return rule.decision();
      }
    }
    return fallback;
  }

  /** The settings in force, shipped rules filled in, in config form (a copy). */
  public JsonObject effectiveConfig() {
    return effectiveConfig.copy();
  }
}
