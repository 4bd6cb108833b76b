package io.baton.operator;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An online agent, the queues they serve, and how many handoffs they hold, as read under the lock
 * that auto-assignment takes; both stores choose through it.
 */
record AgentLoad(String agentId, List<String> queues, int maxConcurrent, long load) {

  boolean hasRoom() {
    return load < maxConcurrent;
  }

  /** The queues among {@code wanted} that at least one agent with room serves. */
  static Set<String> servable(Collection<AgentLoad> agents, Collection<String> wanted) {
    Set<String> servable = new LinkedHashSet<>();
    for (AgentLoad agent : agents) {
      if (agent.hasRoom()) {
        agent.queues().stream().filter(wanted::contains).forEach(servable::add);
      }
    }
    return servable;
  }

  /** The least-loaded agent with room who serves {@code queue}; the lowest id breaks ties. */
  static Optional<AgentLoad> leastLoaded(Collection<AgentLoad> agents, String queue) {
    return agents.stream()
        .filter(a -> a.hasRoom() && a.queues().contains(queue))
        .min(Comparator.comparingLong(AgentLoad::load).thenComparing(AgentLoad::agentId));
  }
}
