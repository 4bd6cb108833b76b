package io.baton.handoff.routing;

import io.baton.handoff.Priority;
import java.util.List;
import java.util.Objects;

/**
 * Where a handoff goes.
 *
 * @param rule the name of the rule that matched, or {@code default}
 * @param agent the agent to assign directly, or null to leave it to the queue
 * @param priorityFloor the lowest priority the handoff may have, or null; apply it with
 *     {@link Priority#atLeast}
 */
public record RoutingDecision(String rule, String queue, String agent, Priority priorityFloor,
    List<String> tags) {

  public RoutingDecision {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(queue, "queue");
    tags = tags == null ? List.of() : List.copyOf(tags);
  }
}
