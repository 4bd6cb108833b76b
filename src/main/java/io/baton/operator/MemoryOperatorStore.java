package io.baton.operator;

import io.baton.handoff.Handoff;
import io.baton.handoff.HandoffStatus;
import io.baton.handoff.HandoffStore;
import io.baton.handoff.MemoryHandoffStore;
import io.baton.handoff.MemoryHandoffStore.Tables;
import static io.baton.handoff.MemoryHandoffStore.key;
import io.baton.handoff.Owner;
import io.baton.handoff.Speaker;
import io.baton.operator.OperatorTransitions.Outcome;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded operator store. It works on the embedded handoff store's tables under that store's
 * lock, so a transition, the handoff and conversation it changes and its events are atomic
 * together. What only operators need (agent per conversation, resolutions, messages) lives here,
 * guarded by the same lock.
 */
public final class MemoryOperatorStore implements OperatorStore {

  private static final Logger LOG = LoggerFactory.getLogger(MemoryOperatorStore.class);

  private final MemoryHandoffStore handoffs;
  private final Map<String, String> agentByConversation = new HashMap<>();
  private final Map<String, String> resolutions = new HashMap<>();
  private final Map<String, JsonObject> answers = new HashMap<>();
  private static final String DEFAULT_TENANT = "default";

  private record TenantAgent(String tenant, Agent agent) {
  }

  /** Keyed by {@link MemoryHandoffStore#key} (tenant, agent id), as are the per-conversation and per-queue maps. */
  private final Map<String, TenantAgent> agents = new TreeMap<>();
  private final Map<String, LinkedHashMap<String, ConversationMessage>> messages = new HashMap<>();
  /** Per queue, the latest times from creation to assignment, newest last. */
  private final Map<String, ArrayDeque<Duration>> timesToAssign = new HashMap<>();
  /** When a handoff entered its current place by escalation, and how many steps it took. */
  private final Map<String, Instant> queuedAt = new HashMap<>();
  private final Map<String, Integer> escalations = new HashMap<>();

  /** The most assignments per queue kept for wait estimates. */
  static final int MAX_HISTORY = 1_000;

  /** A status that came before its message had the provider's id: the highest seen, and when. */
  private record EarlyStatus(List<String> conversationIds, String status, Instant at) {
  }

  /** The most statuses kept for messages not found (yet); beyond, the longest kept is forgotten. */
  static final int MAX_EARLY_STATUSES = 10_000;

  /** Keyed by (tenant, provider id), longest kept first. */
  private final LinkedHashMap<String, EarlyStatus> earlyStatuses = new LinkedHashMap<>();
  private final int maxEarlyStatuses;

  /**
   * The most awaiting-bot marks kept; beyond, the oldest is forgotten (logged). In embedded mode the
   * debounce buffer is in memory too and takes a message at once, so marks only pile up when
   * buffering keeps failing.
   */
  static final int MAX_AWAITING = 100_000;

  /** The mark's message, when it was stored, and until when a claimer holds it (null: nobody). */
  private record MemoryMark(String tenant, String conversationId, String messageId, Instant storedAt,
      Instant leaseUntil) {
  }

  /** By mark, in the order written (marks count up). */
  private final LinkedHashMap<Long, MemoryMark> awaiting = new LinkedHashMap<>();
  private long lastMark = MessageOutcome.NOT_MARKED;

  public MemoryOperatorStore(MemoryHandoffStore handoffs) {
    this(handoffs, MAX_EARLY_STATUSES);
  }

  MemoryOperatorStore(MemoryHandoffStore handoffs, int maxEarlyStatuses) {
    this.handoffs = handoffs;
    this.maxEarlyStatuses = maxEarlyStatuses;
  }

  @Override
  public Future<Handoff> assign(String tenant, String handoffId, String agentId, Instant at) {
    return onHandoff(tenant, handoffId, (h, c) -> OperatorTransitions.assign(h, c, agentId, at), null);
  }

  @Override
  public Future<Handoff> release(String tenant, String handoffId, Instant at) {
    return onHandoff(tenant, handoffId, (h, c) -> OperatorTransitions.release(h, c, at), null);
  }

  @Override
  public Future<Handoff> resolve(String tenant, String handoffId, String resolution, Instant at) {
    return onHandoff(tenant, handoffId, (h, c) -> OperatorTransitions.resolve(h, c, resolution, at), resolution);
  }

  @Override
  public Future<Answered> answer(String tenant, String handoffId, JsonObject answer, Instant at) {
    try {
      return Future.succeededFuture(handoffs.locked(tenant, tables -> {
        Handoff current = tables.handoff(handoffId).orElseThrow(() -> OperatorStore.handoffNotFound(handoffId));
        Outcome outcome = OperatorTransitions.answer(current, conversation(tenant, tables, current.conversationId())
            .orElseThrow(), answers.get(handoffId), answer, at);
        write(tenant, tables, outcome);
        if (outcome.changed()) {
          answers.put(handoffId, answer);
        }
        return new Answered(outcome.handoff(), answers.get(handoffId));
      }));
    } catch (RuntimeException failure) {
      return Future.failedFuture(failure);
    }
  }

  @Override
  public Future<ConversationView> assignActive(String tenant, String conversationId, String agentId, Instant at) {
    return onConversation(tenant, conversationId, (c, active) -> {
      if (active == null) {
        throw OperatorStore.noActiveHandoff(c);
      }
      return OperatorTransitions.assign(active, c, agentId, at);
    });
  }

  @Override
  public Future<ConversationView> takeOver(String tenant, String conversationId, String agentId, Instant at) {
    return onConversation(tenant, conversationId, (c, active) -> OperatorTransitions.takeOver(c, active, agentId, at));
  }

  @Override
  public Future<ConversationView> handBack(String tenant, String conversationId, Instant at) {
    return onConversation(tenant, conversationId, (c, active) -> OperatorTransitions.handBack(c, active, at));
  }

  @Override
  public Future<Optional<ConversationView>> conversation(String tenant, String conversationId) {
    return Future.succeededFuture(handoffs.locked(tenant, tables -> conversation(tenant, tables, conversationId)
        .map(c -> new ConversationView(c, tables.activeHandoff(conversationId).orElse(null)))));
  }

  @Override
  public Future<Map<String, Owner>> owners(String tenant, List<String> conversationIds) {
    return Future.succeededFuture(handoffs.locked(tenant, tables -> {
      Map<String, Owner> owners = new HashMap<>();
      conversationIds.forEach(id -> tables.owner(id).ifPresent(owner -> owners.put(id, owner)));
      return owners;
    }));
  }

  @Override
  public Future<MessageOutcome> addMessage(String tenant, ConversationMessage message, String userId) {
    return Future.succeededFuture(addMessage(tenant, message, userId, false));
  }

  @Override
  public Future<List<MessageOutcome>> addMessages(String tenant, List<ConversationMessage> messages, String userId,
      Set<String> awaitBot) {
    List<MessageOutcome> outcomes = new ArrayList<>();
    for (ConversationMessage message : messages) {
      outcomes.add(addMessage(tenant, message, userId, awaitBot.contains(message.messageId())));
    }
    return Future.succeededFuture(outcomes);
  }

  @Override
  public Future<Void> clearAwaiting(List<Long> marks) {
    return Future.succeededFuture(handoffs.lockedAll(tenants -> {
      marks.forEach(awaiting::remove);
      return null;
    }));
  }

  @Override
  public Future<List<Awaiting>> claimAwaiting(Instant storedBefore, Instant now, Duration lease, int limit) {
    return Future.succeededFuture(handoffs.lockedAll(tenants -> {
      // Oldest first: the order written, which is also each conversation's timeline order.
      List<Awaiting> claimed = new ArrayList<>();
      for (Map.Entry<Long, MemoryMark> entry : awaiting.entrySet()) {
        MemoryMark mark = entry.getValue();
        if (claimed.size() == limit) {
          break;
        }
        if (mark.storedAt().isAfter(storedBefore) || mark.leaseUntil() != null && mark.leaseUntil().isAfter(now)) {
          continue;
        }
        entry.setValue(new MemoryMark(mark.tenant(), mark.conversationId(), mark.messageId(), mark.storedAt(),
            now.plus(lease)));
        LinkedHashMap<String, ConversationMessage> timeline = messages.get(key(mark.tenant(), mark.conversationId()));
        ConversationMessage message = timeline == null ? null : timeline.get(mark.messageId());
        claimed.add(message == null ? new Awaiting(entry.getKey(), null, null, null, null)
            : new Awaiting(entry.getKey(), mark.tenant(), mark.conversationId(), mark.messageId(), message.media()));
      }
      return claimed;
    }));
  }

  private MessageOutcome addMessage(String tenant, ConversationMessage message, String userId, boolean awaitBot) {
    return handoffs.locked(tenant, tables -> {
      String conversationId = message.conversationId();
      if (tables.owner(conversationId).isEmpty()) {
        tables.putConversation(conversationId, userId, Owner.BOT);
      }
      Owner owner = tables.owner(conversationId).orElseThrow();
      LinkedHashMap<String, ConversationMessage> timeline =
          messages.computeIfAbsent(key(tenant, conversationId), id -> new LinkedHashMap<>());
      ConversationMessage existing = timeline.get(message.messageId());
      if (existing != null) {
        return new MessageOutcome(existing, owner, false);
      }
      timeline.put(message.messageId(), message);
      tables.append(OperatorTransitions.messageCreated(message));
      long mark = awaitBot ? markAwaiting(new MemoryMark(tenant, conversationId, message.messageId(),
          message.createdAt(), null)) : MessageOutcome.NOT_MARKED;
      return new MessageOutcome(message, owner, true, mark);
    });
  }

  /** Under the lock. Bounded: see {@link #MAX_AWAITING}. */
  private long markAwaiting(MemoryMark mark) {
    if (awaiting.size() >= MAX_AWAITING) {
      MemoryMark oldest = awaiting.remove(awaiting.keySet().iterator().next());
      LOG.warn("More than {} messages await the bot's buffer; message {} of conversation {} is no longer tracked",
          MAX_AWAITING, oldest.messageId(), oldest.conversationId());
    }
    awaiting.put(++lastMark, mark);
    return lastMark;
  }

  @Override
  public Future<Optional<ConversationMessage>> updateDeliveryStatus(String tenant, List<String> conversationIds,
      String messageId, String status, Instant at) {
    return Future.succeededFuture(handoffs.locked(tenant, tables -> {
      for (String conversationId : conversationIds) {
        LinkedHashMap<String, ConversationMessage> timeline = messages.get(key(tenant, conversationId));
        ConversationMessage current = timeline == null ? null : byIdOrProviderId(timeline, messageId);
        if (current == null || current.speaker() == Speaker.USER) {
          continue;
        }
        if (ConversationMessage.statusRank(current.deliveryStatus()) >= ConversationMessage.statusRank(status)) {
          return Optional.<ConversationMessage>empty();
        }
        ConversationMessage updated = current.withDeliveryStatus(status);
        timeline.put(current.messageId(), updated);
        tables.append(OperatorTransitions.messageStatusUpdated(updated, current.deliveryStatus(), at));
        return Optional.of(updated);
      }
      keepEarly(tenant, conversationIds, messageId, status, at);
      return Optional.<ConversationMessage>empty();
    }));
  }

  /** No message has the id (yet): the status is kept for {@link #recordSent}, never lowered. */
  private void keepEarly(String tenant, List<String> conversationIds, String providerMessageId, String status,
      Instant at) {
    if (ConversationMessage.statusRank(status) < ConversationMessage.statusRank("sent")) {
      return;
    }
    String key = key(tenant, providerMessageId);
    EarlyStatus kept = earlyStatuses.get(key);
    if (kept != null) {
      if (ConversationMessage.statusRank(kept.status()) < ConversationMessage.statusRank(status)) {
        earlyStatuses.put(key, new EarlyStatus(kept.conversationIds(), status, at));
      }
      return;
    }
    if (earlyStatuses.size() >= maxEarlyStatuses) {
      // Bounded: a flood of statuses for ids Baton never sent must not grow memory without end.
      earlyStatuses.pollFirstEntry();
    }
    earlyStatuses.put(key, new EarlyStatus(List.copyOf(conversationIds), status, at));
  }

  @Override
  public Future<Integer> purgeEarlyStatuses(Instant keptBefore) {
    return Future.succeededFuture(handoffs.lockedAll(tenants -> {
      int before = earlyStatuses.size();
      earlyStatuses.values().removeIf(kept -> kept.at().isBefore(keptBefore));
      return before - earlyStatuses.size();
    }));
  }

  @Override
  public Future<Optional<ConversationMessage>> message(String tenant, String conversationId, String messageId) {
    return Future.succeededFuture(handoffs.locked(tenant, tables -> Optional.ofNullable(
        messages.getOrDefault(key(tenant, conversationId), new LinkedHashMap<>()).get(messageId))));
  }

  @Override
  public Future<Optional<ConversationMessage>> lastCustomerMessage(String tenant, String conversationId) {
    return Future.succeededFuture(handoffs.locked(tenant, tables -> {
      ConversationMessage last = null;
      for (ConversationMessage m : messages.getOrDefault(key(tenant, conversationId), new LinkedHashMap<>()).values()) {
        if (m.speaker() == Speaker.USER) {
          last = m;
        }
      }
      return Optional.ofNullable(last);
    }));
  }

  @Override
  public Future<Optional<ConversationMessage>> recordSent(String tenant, String conversationId, String messageId,
      String providerMessageId, Instant at) {
    return Future.succeededFuture(handoffs.locked(tenant, tables -> {
      LinkedHashMap<String, ConversationMessage> timeline = messages.get(key(tenant, conversationId));
      ConversationMessage current = timeline == null ? null : timeline.get(messageId);
      if (current == null) {
        return Optional.<ConversationMessage>empty();
      }
      boolean moves = ConversationMessage.statusRank(current.deliveryStatus()) < ConversationMessage.statusRank("sent");
      ConversationMessage sent = (moves ? current.withDeliveryStatus("sent") : current)
          .withProviderMessageId(providerMessageId);
      timeline.put(messageId, sent);
      if (moves) {
        tables.append(OperatorTransitions.messageStatusUpdated(sent, current.deliveryStatus(), at));
      }
      // A status that came for this id before now is applied as if it came now.
      String key = key(tenant, providerMessageId);
      EarlyStatus early = earlyStatuses.get(key);
      if (early == null || !early.conversationIds().contains(conversationId)) {
        return Optional.of(sent);
      }
      earlyStatuses.remove(key);
      if (ConversationMessage.statusRank(sent.deliveryStatus()) >= ConversationMessage.statusRank(early.status())) {
        return Optional.of(sent);
      }
      ConversationMessage moved = sent.withDeliveryStatus(early.status());
      timeline.put(messageId, moved);
      tables.append(OperatorTransitions.messageStatusUpdated(moved, sent.deliveryStatus(), at));
      return Optional.of(moved);
    }));
  }

  @Override
  public Future<Integer> readUpTo(String tenant, List<String> conversationIds, Instant upTo, Instant at) {
    return Future.succeededFuture(handoffs.locked(tenant, tables -> {
      for (String conversationId : conversationIds) {
        LinkedHashMap<String, ConversationMessage> timeline = messages.get(key(tenant, conversationId));
        if (timeline == null) {
          continue;
        }
        int read = 0;
        for (ConversationMessage m : List.copyOf(timeline.values())) {
          int rank = ConversationMessage.statusRank(m.deliveryStatus());
          if (m.speaker() != Speaker.USER && rank >= ConversationMessage.statusRank("sent")
              && rank < ConversationMessage.statusRank("read") && !m.createdAt().isAfter(upTo)) {
            ConversationMessage updated = m.withDeliveryStatus("read");
            timeline.put(m.messageId(), updated);
            tables.append(OperatorTransitions.messageStatusUpdated(updated, m.deliveryStatus(), at));
            read++;
          }
        }
        return read;
      }
      return 0;
    }));
  }

  /** Status webhooks name a sent message by the provider's id, recorded when the channel took it. */
  private static ConversationMessage byIdOrProviderId(LinkedHashMap<String, ConversationMessage> timeline, String id) {
    ConversationMessage byId = timeline.get(id);
    if (byId != null) {
      return byId;
    }
    for (ConversationMessage m : timeline.values()) {
      if (id.equals(m.providerMessageId())) {
        return m;
      }
    }
    return null;
  }

  @Override
  public Future<MessagePage> messages(String tenant, String conversationId, int page, int pageSize) {
    return handoffs.locked(tenant, tables -> {
      if (tables.owner(conversationId).isEmpty()) {
        return Future.failedFuture(OperatorStore.conversationNotFound(conversationId));
      }
      List<ConversationMessage> all = new ArrayList<>(messages.getOrDefault(key(tenant, conversationId), new LinkedHashMap<>())
          .values());
      int from = Math.min(all.size(), MessagePage.offset(page, pageSize));
      int to = Math.min(all.size(), from + pageSize);
      return Future.succeededFuture(new MessagePage(List.copyOf(all.subList(from, to)), all.size(), page, pageSize));
    });
  }

  @Override
  public Future<Queue> queue(String tenant, String queue, String agentId, int limit) {
    return Future.succeededFuture(handoffs.locked(tenant, tables -> {
      List<Handoff> pending = tables.handoffs()
          .filter(h -> h.status() == HandoffStatus.PENDING && (queue == null || queue.equals(h.queue())))
          .sorted(HandoffStore.LISTING_ORDER)
          .toList();
      List<Handoff> assigned = agentId == null ? List.of() : tables.handoffs()
          .filter(h -> h.status() == HandoffStatus.ASSIGNED && agentId.equals(h.assignedAgent()))
          .sorted(HandoffStore.LISTING_ORDER)
          .limit(limit)
          .toList();
      return new Queue(pending.stream().limit(limit).toList(), pending.size(), assigned);
    }));
  }

  @Override
  public Future<List<QueueDepth>> queueDepths() {
    // Metrics count a queue name across tenants: they describe the instance, not a tenant's data.
    return Future.succeededFuture(handoffs.lockedAll(tables -> {
      Map<String, QueueDepth> byQueue = new TreeMap<>();
      tables.handoffs().filter(h -> h.status() == HandoffStatus.PENDING).forEach(h -> {
        String queue = h.queue() == null ? "" : h.queue();
        QueueDepth seen = byQueue.get(queue);
        byQueue.put(queue, seen == null
            ? new QueueDepth(queue, 1, h.createdAt())
            : new QueueDepth(queue, seen.pending() + 1,
                h.createdAt().isBefore(seen.oldestCreatedAt()) ? h.createdAt() : seen.oldestCreatedAt()));
      });
      return List.copyOf(byQueue.values());
    }));
  }

  @Override
  public Future<Optional<Handoff>> assignNext(String tenant, List<String> queues, Instant at) {
    return Future.succeededFuture(handoffs.locked(tenant, tables -> {
      List<AgentLoad> agentLoads = onlineAgents(tenant, tables, queues);
      Set<String> servable = AgentLoad.servable(agentLoads, queues);
      if (servable.isEmpty()) {
        return Optional.<Handoff>empty();
      }
      Optional<Handoff> next = tables.handoffs()
          .filter(h -> h.status() == HandoffStatus.PENDING && servable.contains(h.queue())
              && tables.owner(h.conversationId()).orElse(null) == Owner.QUEUED)
          .min(HandoffStore.LISTING_ORDER);
      return next.map(h -> {
        String agentId = AgentLoad.leastLoaded(agentLoads, h.queue()).orElseThrow().agentId();
        Outcome outcome = OperatorTransitions.autoAssign(h,
            conversation(tenant, tables, h.conversationId()).orElseThrow(), agentId, at);
        write(tenant, tables, outcome);
        return outcome.handoff();
      });
    }));
  }

  /** The online agents who serve one of {@code queues}, with their load, in one pass over the handoffs. */
  private List<AgentLoad> onlineAgents(String tenant, Tables tables, List<String> queues) {
    List<Agent> serving = agentsOf(tenant)
        .filter(a -> "online".equals(a.status()) && a.queues().stream().anyMatch(queues::contains))
        .toList();
    if (serving.isEmpty()) {
      return List.of();
    }
    Map<String, Long> loads = new HashMap<>();
    tables.handoffs().filter(h -> h.status() == HandoffStatus.ASSIGNED)
        .forEach(h -> loads.merge(h.assignedAgent(), 1L, Long::sum));
    return serving.stream()
        .map(a -> new AgentLoad(a.agentId(), a.queues(), a.maxConcurrent(), loads.getOrDefault(a.agentId(), 0L)))
        .toList();
  }

  @Override
  public Future<Optional<Standing>> standing(String tenant, String handoffId) {
    return Future.succeededFuture(handoffs.locked(tenant, tables -> tables.handoff(handoffId)
        .filter(h -> h.status() == HandoffStatus.PENDING)
        .map(h -> new Standing(1 + tables.handoffs()
            .filter(o -> o.status() == HandoffStatus.PENDING && Objects.equals(o.queue(), h.queue())
                && HandoffStore.LISTING_ORDER.compare(o, h) < 0)
            .limit(POSITION_COUNT_LIMIT)
            .count(), h.createdAt(), h.queue()))));
  }

  @Override
  public Future<Optional<Duration>> medianTimeToAssign(String tenant, String queue, int history) {
    return Future.succeededFuture(handoffs.locked(tenant, tables -> {
      List<Duration> latest = new ArrayList<>(timesToAssign.getOrDefault(key(tenant, queue), new ArrayDeque<>()));
      List<Duration> window = latest.subList(Math.max(0, latest.size() - history), latest.size());
      return median(window);
    }));
  }

  /** As PostgreSQL's percentile_cont(0.5): the middle value, or the mean of the two middle ones. */
  static Optional<Duration> median(List<Duration> values) {
    if (values.isEmpty()) {
      return Optional.empty();
    }
    List<Duration> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return Optional.of(n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2));
  }

  @Override
  public Future<List<Escalated>> escalateDue(EscalationPolicy policy, Instant now, int limit) {
    // Each tenant in turn, each handoff in its own tenant (the PostgreSQL sweep takes them all in one order).
    List<Escalated> all = new ArrayList<>();
    for (String tenant : new java.util.TreeSet<>(handoffs.tenants())) {
      if (all.size() < limit) {
        all.addAll(escalateDue(tenant, policy, now, limit - all.size()));
      }
    }
    return Future.succeededFuture(all);
  }

  private List<Escalated> escalateDue(String tenant, EscalationPolicy policy, Instant now, int limit) {
    return handoffs.locked(tenant, tables -> {
      List<Handoff> due = tables.handoffs()
          .filter(h -> h.status() == HandoffStatus.PENDING)
          .filter(h -> {
            Duration wait = policy.maxWait(h.queue());
            return !wait.isZero() && !queuedAt.getOrDefault(h.id(), h.createdAt()).plus(wait).isAfter(now);
          })
          .sorted(HandoffStore.LISTING_ORDER)
          .limit(limit)
          .toList();
      List<Escalated> escalated = new ArrayList<>();
      for (Handoff h : due) {
        Instant since = queuedAt.getOrDefault(h.id(), h.createdAt());
        queuedAt.put(h.id(), now);
        policy.next(h).ifPresent(step -> {
          int number = escalations.merge(h.id(), 1, Integer::sum);
          OperatorTransitions.Escalation escalation = OperatorTransitions.escalate(h, step, since, number, now);
          tables.putHandoff(escalation.handoff());
          tables.append(escalation.event());
          escalated.add(new Escalated(escalation.handoff(), h.priority(), h.queue(), number));
        });
      }
      return escalated;
    });
  }

  @Override
  public Future<Agent.WithLoad> putAgent(String tenant, Agent agent) {
    return Future.succeededFuture(handoffs.locked(tenant, tables -> {
      agents.put(key(tenant, agent.agentId()), new TenantAgent(tenant, agent));
      return new Agent.WithLoad(agent, load(tables, agent.agentId()));
    }));
  }

  @Override
  public Future<Optional<Agent.WithLoad>> agent(String tenant, String agentId) {
    return Future.succeededFuture(handoffs.locked(tenant, tables -> Optional.ofNullable(agents.get(key(tenant, agentId)))
        .map(TenantAgent::agent)
        .map(agent -> new Agent.WithLoad(agent, load(tables, agentId)))));
  }

  @Override
  public Future<List<Agent.WithLoad>> agents(String tenant) {
    return Future.succeededFuture(handoffs.locked(tenant, tables -> agentsOf(tenant)
        .map(agent -> new Agent.WithLoad(agent, load(tables, agent.agentId())))
        .toList()));
  }

  @Override
  public Future<Map<String, Set<String>>> servedQueues() {
    return Future.succeededFuture(handoffs.locked(DEFAULT_TENANT, tables -> {
      Map<String, Set<String>> served = new TreeMap<>();
      agents.values().stream().filter(a -> "online".equals(a.agent().status())).forEach(a -> served
          .computeIfAbsent(a.tenant(), t -> new java.util.LinkedHashSet<>()).addAll(a.agent().queues()));
      return served;
    }));
  }

  /** The tenant's agents in id order (the map's keys sort by tenant, then agent id). */
  private java.util.stream.Stream<Agent> agentsOf(String tenant) {
    return agents.values().stream().filter(a -> a.tenant().equals(tenant)).map(TenantAgent::agent);
  }

  private static long load(Tables tables, String agentId) {
    return tables.handoffs()
        .filter(h -> h.status() == HandoffStatus.ASSIGNED && agentId.equals(h.assignedAgent()))
        .count();
  }

  /** The resolution recorded when a handoff was resolved (tests and reads of the embedded mode). */
  Optional<String> resolution(String tenant, String handoffId) {
    return handoffs.locked(tenant, tables -> Optional.ofNullable(resolutions.get(handoffId)));
  }

  private Future<Handoff> onHandoff(String tenant, String handoffId,
      BiFunction<Handoff, Conversation, Outcome> transition, String resolution) {
    try {
      return Future.succeededFuture(handoffs.locked(tenant, tables -> {
        Handoff current = tables.handoff(handoffId).orElseThrow(() -> OperatorStore.handoffNotFound(handoffId));
        Conversation conversation = conversation(tenant, tables, current.conversationId())
            .orElseThrow(() -> new IllegalStateException("Handoff " + handoffId + " has no conversation"));
        Outcome outcome = transition.apply(current, conversation);
        write(tenant, tables, outcome);
        if (outcome.changed() && resolution != null) {
          resolutions.put(handoffId, resolution);
        }
        return outcome.handoff();
      }));
    } catch (RuntimeException failure) {
      return Future.failedFuture(failure);
    }
  }

  private Future<ConversationView> onConversation(String tenant, String conversationId,
      BiFunction<Conversation, Handoff, Outcome> transition) {
    try {
      return Future.succeededFuture(handoffs.locked(tenant, tables -> {
        Conversation conversation = conversation(tenant, tables, conversationId)
            .orElseThrow(() -> OperatorStore.conversationNotFound(conversationId));
        Outcome outcome = transition.apply(conversation, tables.activeHandoff(conversationId).orElse(null));
        write(tenant, tables, outcome);
        return new ConversationView(outcome.conversation(), tables.activeHandoff(conversationId).orElse(null));
      }));
    } catch (RuntimeException failure) {
      return Future.failedFuture(failure);
    }
  }

  private void write(String tenant, Tables tables, Outcome outcome) {
    if (!outcome.changed()) {
      return;
    }
    if (outcome.handoffChanged()) {
      Handoff next = outcome.handoff();
      Handoff before = tables.handoff(next.id()).orElse(null);
      if (next.status() == HandoffStatus.ASSIGNED && before != null && before.status() != HandoffStatus.ASSIGNED) {
        ArrayDeque<Duration> times =
            timesToAssign.computeIfAbsent(key(tenant, String.valueOf(next.queue())), q -> new ArrayDeque<>());
        if (times.size() == MAX_HISTORY) {
          times.removeFirst();
        }
        times.addLast(Duration.between(next.createdAt(), next.updatedAt()));
      }
      tables.putHandoff(next);
    }
    if (outcome.conversationChanged()) {
      Conversation c = outcome.conversation();
      tables.putConversation(c.conversationId(), c.userId(), c.owner());
      if (c.agentId() == null) {
        agentByConversation.remove(key(tenant, c.conversationId()));
      } else {
        agentByConversation.put(key(tenant, c.conversationId()), c.agentId());
      }
    }
    outcome.events().forEach(tables::append);
  }

  private Optional<Conversation> conversation(String tenant, Tables tables, String conversationId) {
    return tables.owner(conversationId).map(owner -> new Conversation(conversationId,
        tables.userId(conversationId).orElseThrow(), owner,
        owner == Owner.AGENT ? agentByConversation.get(key(tenant, conversationId)) : null));
  }
}
