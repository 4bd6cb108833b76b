package io.baton.operator;

import io.baton.bus.BatonException;
import io.baton.handoff.Handoff;
import io.baton.handoff.Owner;
import io.baton.handoff.Priority;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Ownership, handoff transitions and conversation timelines. Both implementations (PostgreSQL,
 * memory) pass one contract suite and decide through {@link OperatorTransitions}. Each change and
 * its events are written atomically; transitions to the state already reached write nothing.
 *
 * <p>Every method but the escalation sweep acts inside one tenant: conversations and agents are
 * named by (tenant, id), another tenant's handoff is unknown (NOT_FOUND or empty), and an agent
 * only ever gets its own tenant's handoffs. The sweep serves every tenant, each handoff in its own.
 */
public interface OperatorStore {

  /**
   * The outcome of adding a message: the stored message ({@code created} false for a repeated id),
   * and its awaiting-the-bot mark when one was made ({@link #NOT_MARKED} otherwise).
   */
  record MessageOutcome(ConversationMessage message, Owner owner, boolean created, long awaitingMark) {
    public static final long NOT_MARKED = 0;

    public MessageOutcome(ConversationMessage message, Owner owner, boolean created) {
      this(message, owner, created, NOT_MARKED);
    }
  }

  /** Pending handoffs, highest priority first then oldest; and the handoffs assigned to an agent. */
  record Queue(List<Handoff> pending, long totalPending, List<Handoff> assigned) {
  }

  Future<Handoff> assign(String tenant, String handoffId, String agentId, Instant at);

  Future<Handoff> release(String tenant, String handoffId, Instant at);

  Future<Handoff> resolve(String tenant, String handoffId, String resolution, Instant at);

  /** The answered approval and its answer (the first one, when a repeat changed nothing). */
  record Answered(Handoff handoff, JsonObject answer) {
  }

  /** Records a human's answer to an approval handoff; see {@link OperatorTransitions#answer}. */
  Future<Answered> answer(String tenant, String handoffId, JsonObject answer, Instant at);

  /** Assigns the conversation's active handoff; CONFLICT when it has none. */
  Future<ConversationView> assignActive(String tenant, String conversationId, String agentId, Instant at);

  Future<ConversationView> takeOver(String tenant, String conversationId, String agentId, Instant at);

  Future<ConversationView> handBack(String tenant, String conversationId, Instant at);

  Future<Optional<ConversationView>> conversation(String tenant, String conversationId);

  /** The owner of each of these conversations that exists, in one read (the dispatch of a claim of batches). */
  Future<Map<String, Owner>> owners(String tenant, List<String> conversationIds);

  /** Adds a message, creating the conversation (owned by the bot, for {@code userId}) if it is new. */
  Future<MessageOutcome> addMessage(String tenant, ConversationMessage message, String userId);

  /**
   * Moves the delivery status of a message Baton sent (not the customer's) forward, in the first of
   * {@code conversationIds} that holds {@code messageId}, with a {@code message.status_updated} event.
   * Empty when no such message exists or the status would not move forward.
   *
   * <p>When no such message exists, the status ({@code sent} or above) is kept for that id: providers
   * often report a send before Baton has recorded their answer to it, which is when the message gets
   * their id. {@link #recordSent} applies it; a status already kept for the id is only ever raised.
   * Kept statuses that never find their message are purged ({@link #purgeEarlyStatuses}).
   */
  Future<Optional<ConversationMessage>> updateDeliveryStatus(String tenant, List<String> conversationIds, String messageId,
      String status, Instant at);

  /** How long a status is kept for a message not found (yet), see {@link #updateDeliveryStatus}. */
  Duration EARLY_STATUS_KEPT_FOR = Duration.ofDays(7);

  /** Forgets the statuses kept (see {@link #updateDeliveryStatus}) before {@code keptBefore}; answers how many. */
  Future<Integer> purgeEarlyStatuses(Instant keptBefore);

  Future<Optional<ConversationMessage>> message(String tenant, String conversationId, String messageId);

  /** The customer's latest message in the conversation (speaker user), if any. */
  Future<Optional<ConversationMessage>> lastCustomerMessage(String tenant, String conversationId);

  /**
   * The channel took a message Baton sent: records its id there ({@code providerMessageId}) and moves
   * the delivery status to {@code sent} (unless already further), with {@code message.status_updated}
   * when it moved. A status kept for that id in the message's conversation (it came first, see
   * {@link #updateDeliveryStatus}) is then applied as if it came now, with its own event, and is no
   * longer kept; all atomically. Empty when the message does not exist.
   */
  Future<Optional<ConversationMessage>> recordSent(String tenant, String conversationId, String messageId, String providerMessageId,
      Instant at);

  /**
   * A read watermark: every message Baton sent ({@code sent} or {@code delivered}) in the first of
   * {@code conversationIds} that exists, created up to {@code upTo}, becomes {@code read}, each with
   * {@code message.status_updated}. Answers how many moved.
   */
  Future<Integer> readUpTo(String tenant, List<String> conversationIds, Instant upTo, Instant at);

  /** Adds several messages of one conversation, in order; atomically where the store can. */
  default Future<List<MessageOutcome>> addMessages(String tenant, List<ConversationMessage> messages, String userId) {
    return addMessages(tenant, messages, userId, Set.of());
  }

  /**
   * As {@link #addMessages(String, List, String)}; each message whose id is in {@code awaitBot} and
   * that is new to the timeline is also marked as awaiting the bot (stored, not yet in the debounce
   * buffer), atomically with it, and its outcome names the mark. A repeated message gets no second
   * mark.
   */
  Future<List<MessageOutcome>> addMessages(String tenant, List<ConversationMessage> messages, String userId,
      Set<String> awaitBot);

  /**
   * A claimed mark of a message stored for the bot and not (known to be) in its debounce buffer yet,
   * with the message: its {@code media} is the normalised inbound message. All but the mark are null
   * if the message is gone.
   */
  record Awaiting(long mark, String tenant, String conversationId, String messageId, JsonObject media) {
  }

  /**
   * The marks are removed (their messages are buffered); unknown marks are ignored. Every tenant: a
   * mark is unique across them (the PostgreSQL store's is the message's seq). The removal may wait a
   * moment for others, to share their statement: it completes once done.
   */
  Future<Void> clearAwaiting(List<Long> marks);

  /**
   * Claims up to {@code limit} marks stored at or before {@code storedBefore} and not leased at
   * {@code now}, oldest first (a conversation's in timeline order), leasing them until
   * {@code now + lease}: until then no other claimer gets them. Every tenant.
   */
  Future<List<Awaiting>> claimAwaiting(Instant storedBefore, Instant now, Duration lease, int limit);

  /** Oldest first; NOT_FOUND for an unknown conversation. */
  Future<MessagePage> messages(String tenant, String conversationId, int page, int pageSize);

  /** {@code queue} and {@code agentId} are optional filters; {@code assigned} is empty without an agent. */
  Future<Queue> queue(String tenant, String queue, String agentId, int limit);

  /**
   * Assigns the highest-priority, oldest pending handoff of {@code queues} whose conversation waits
   * in the queue to the least-loaded online agent who serves its queue and is below
   * {@code max_concurrent} (ties: the lowest agent id). Empty when no handoff can go to anybody.
   * Each handoff is assigned once and no agent goes above capacity, however many assigners race,
   * on however many instances. The event is {@code handoff.assigned} with {@code auto_assigned}.
   */
  Future<Optional<Handoff>> assignNext(String tenant, List<String> queues, Instant at);

  /**
   * Handoffs ahead counted at most: a place is counted exactly up to this, so reading it stays cheap
   * however deep a queue grows; {@code POSITION_COUNT_LIMIT + 1} means "further back than that".
   */
  int POSITION_COUNT_LIMIT = 100;

  /** A pending handoff's place in its queue (from 1), and since when it waits. */
  record Standing(long position, Instant waitingSince, String queue) {
  }

  /** One queue's pending handoffs: how many, and when the oldest of them was created. */
  record QueueDepth(String queue, long pending, Instant oldestCreatedAt) {
  }

  /** Every queue that has pending handoffs, for the queue gauges of /metrics. */
  Future<List<QueueDepth>> queueDepths();

  /** Empty when the handoff is unknown or not pending. The position is capped, see {@link #POSITION_COUNT_LIMIT}. */
  Future<Optional<Standing>> standing(String tenant, String handoffId);

  /** The median time from creation to assignment of the queue's latest {@code history} assignments. */
  Future<Optional<Duration>> medianTimeToAssign(String tenant, String queue, int history);

  /** A handoff that escalated one step: it as it is now, and where it was before. */
  record Escalated(Handoff handoff, Priority fromPriority, String fromQueue, int step) {
  }

  /**
   * Escalates at most {@code limit} pending handoffs that have waited their queue's max wait in
   * their current place, one step each, emitting {@code handoff.escalated}. A handoff is claimed by
   * one sweeper only (others skip it). A handoff that cannot go further waits again, silently.
   */
  Future<List<Escalated>> escalateDue(EscalationPolicy policy, Instant now, int limit);

  /** Creates or replaces an agent; answers it with its current load. */
  Future<Agent.WithLoad> putAgent(String tenant, Agent agent);

  Future<Optional<Agent.WithLoad>> agent(String tenant, String agentId);

  /** Every agent of the tenant, by id. */
  Future<List<Agent.WithLoad>> agents(String tenant);

  /** By tenant, the queues its online agents serve: where automatic assignment may find work. */
  Future<Map<String, Set<String>>> servedQueues();

  static BatonException conversationNotFound(String conversationId) {
    return BatonException.notFound("Conversation " + conversationId + " not found");
  }

  static BatonException handoffNotFound(String handoffId) {
    return BatonException.notFound("Handoff " + handoffId + " not found");
  }

  static BatonException noActiveHandoff(Conversation conversation) {
    return OperatorTransitions.conversationConflict(conversation, "it has no pending or assigned handoff");
  }
}
