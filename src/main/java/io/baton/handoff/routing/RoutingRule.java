package io.baton.handoff.routing;

import io.baton.handoff.Priority;
import io.baton.handoff.rules.Condition;
import io.baton.handoff.rules.ConfigReader;
import io.baton.handoff.rules.Conditions;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One routing rule: its conditions and the decision it makes, built once so that routing
 * returns a shared, immutable decision without allocating.
 *
 * @param config the rule in config form, defaults filled in
 */
record RoutingRule(String name, Condition when, RoutingDecision decision, JsonObject config) {

  /** @param path where the rule sits, e.g. {@code routing.rules[1]} */
  static RoutingRule fromConfig(JsonObject spec, String path, String defaultQueue) {
    String label = spec.getValue("name") instanceof String named ? path + " '" + named + "'" : path;
    ConfigReader config = ConfigReader.ofRule(spec, label);
    String name = config.string("name", null);
    if (name.equals(Router.DEFAULT_RULE)) {
      throw new IllegalArgumentException(config.pathOf("name") + ": '" + Router.DEFAULT_RULE
          + "' is reserved for the decision made when no rule matches");
    }
    Condition when = Conditions.parseWhen(config.raw("when"), label, true);
    config.putEffective("when", when.toJson().getJsonArray("all_of"));
    String queue = config.optionalString("queue");
    String agent = config.optionalString("agent");
    Priority floor = config.priority("priority_floor", null);
    List<String> tags = config.strings("tags", List.of());
    config.rejectUnknownKeys();
    if (queue == null && agent == null && floor == null && tags.isEmpty()) {
      throw new IllegalArgumentException(
          label + ": needs at least one action: queue, agent, priority_floor or tags");
    }
    RoutingDecision decision = new RoutingDecision(name, queue == null ? defaultQueue : queue,
        agent, floor, tags);
    return new RoutingRule(name, when, decision, config.effective());
  }
}
