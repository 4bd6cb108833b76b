package io.baton.operator;

import io.baton.config.BatonConfig.AutoAssignConfig;
import io.baton.handoff.Handoff;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives pending handoffs to agents automatically, through {@link OperatorStore#assignNext}, which
 * makes each assignment exclusive. Called when a handoff is queued (for its queue), when an agent
 * frees a place or comes online (for the agent's queues) and at every sweep (for every queue an
 * online agent serves). Queues switched off in the settings are left alone.
 */
public final class AutoAssigner {

  private static final Logger LOG = LoggerFactory.getLogger(AutoAssigner.class);
  /** Assignments per call at most: a trigger never runs unbounded, the next one (or the sweep) goes on. */
  static final int MAX_PER_CALL = 200;
  /**
   * How long a queue whose last new handoff found no agent with room is not tried again for the next
   * ones. Nothing is lost meanwhile: what can change that (an agent coming online or freeing a place)
   * triggers an assignment of its own, and the sweep looks at every queue; it spares a busy queue
   * without agents a query per create.
   */
  static final Duration NO_ROOM_MEMORY = Duration.ofMillis(500);

  private final OperatorStore store;
  private final AutoAssignConfig config;
  private final Clock clock;
  /** Tenant/queue → until when new handoffs there are not offered (see {@link #NO_ROOM_MEMORY}); this process's only. */
  private final Map<String, Instant> noRoomUntil = new ConcurrentHashMap<>();

  public AutoAssigner(OperatorStore store, AutoAssignConfig config, Clock clock) {
    this.store = store;
    this.config = config;
    this.clock = clock;
  }

  /** A handoff was queued in {@code queue}. */
  public Future<List<Handoff>> forQueue(String tenant, String queue) {
    if (queue == null) {
      return Future.succeededFuture(List.of());
    }
    String key = tenant + "/" + queue;
    Instant now = clock.instant();
    Instant until = noRoomUntil.get(key);
    if (until != null && now.isBefore(until)) {
      return Future.succeededFuture(List.of());
    }
    return assign(tenant, List.of(queue)).onSuccess(assigned -> {
      if (assigned.isEmpty()) {
        noRoomUntil.put(key, now.plus(NO_ROOM_MEMORY));
      }
    });
  }

  /** The agent freed a place or came online: the queues they serve. */
  public Future<List<Handoff>> forAgent(String tenant, String agentId) {
    noRoomUntil.clear();
    if (agentId == null || !config.anyEnabled()) {
      return Future.succeededFuture(List.of());
    }
    return store.agent(tenant, agentId).compose(found -> found
        .filter(a -> "online".equals(a.agent().status()))
        .map(a -> assign(tenant, a.agent().queues()))
        .orElse(Future.<List<Handoff>>succeededFuture(List.of())));
  }

  /** Every queue an online agent serves, tenant by tenant: an agent only takes its own tenant's handoffs. */
  public Future<List<Handoff>> all() {
    noRoomUntil.clear();
    if (!config.anyEnabled()) {
      return Future.succeededFuture(List.of());
    }
    return store.servedQueues().compose(served -> {
      List<Handoff> assigned = new ArrayList<>();
      Future<Void> chain = Future.succeededFuture();
      for (var tenant : served.entrySet()) {
        chain = chain.compose(v -> assign(tenant.getKey(), tenant.getValue()).map(done -> {
          assigned.addAll(done);
          return null;
        }));
      }
      return chain.map(v -> assigned);
    });
  }

  private Future<List<Handoff>> assign(String tenant, Collection<String> queues) {
    List<String> enabled = queues.stream().filter(config::enabledFor).distinct().toList();
    if (enabled.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return drain(tenant, enabled, new ArrayList<>());
  }

  private Future<List<Handoff>> drain(String tenant, List<String> queues, List<Handoff> assigned) {
    if (assigned.size() >= MAX_PER_CALL) {
      return Future.succeededFuture(assigned);
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    return store.assignNext(tenant, queues, now).compose(next -> {
      if (next.isEmpty()) {
        return Future.succeededFuture(assigned);
      }
      Handoff h = next.get();
      LOG.info("Auto-assigned handoff {} of queue {} to agent {}", h.id(), h.queue(), h.assignedAgent());
      assigned.add(h);
      return drain(tenant, queues, assigned);
    });
  }
}
