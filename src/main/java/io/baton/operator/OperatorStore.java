package io.baton.operator;

import io.baton.bus.BatonException;
import io.baton.handoff.Handoff;
import io.baton.handoff.Owner;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Ownership, handoff transitions and conversation timelines. Both implementations (PostgreSQL,
 * memory) pass one contract suite and decide through {@link OperatorTransitions}. Each change and
 * its events are written atomically; transitions to the state already reached write nothing.
 */
public interface OperatorStore {

  /** The outcome of adding a message: the stored message ({@code created} false for a repeated id). */
  record MessageOutcome(ConversationMessage message, Owner owner, boolean created) {
  }

  /** Pending handoffs, highest priority first then oldest; and the handoffs assigned to an agent. */
  record Queue(List<Handoff> pending, long totalPending, List<Handoff> assigned) {
  }

  Future<Handoff> assign(String handoffId, String agentId, Instant at);

  Future<Handoff> release(String handoffId, Instant at);

  Future<Handoff> resolve(String handoffId, String resolution, Instant at);

  /** The answered approval and its answer (the first one, when a repeat changed nothing). */
  record Answered(Handoff handoff, JsonObject answer) {
  }

  /** Records a human's answer to an approval handoff; see {@link OperatorTransitions#answer}. */
  Future<Answered> answer(String handoffId, JsonObject answer, Instant at);

  /** Assigns the conversation's active handoff; CONFLICT when it has none. */
  Future<ConversationView> assignActive(String conversationId, String agentId, Instant at);

  Future<ConversationView> takeOver(String conversationId, String agentId, Instant at);

  Future<ConversationView> handBack(String conversationId, Instant at);

  Future<Optional<ConversationView>> conversation(String conversationId);

  /** Adds a message, creating the conversation (owned by the bot, for {@code userId}) if it is new. */
  Future<MessageOutcome> addMessage(ConversationMessage message, String userId);

  /** Oldest first; NOT_FOUND for an unknown conversation. */
  Future<MessagePage> messages(String conversationId, int page, int pageSize);

  /** {@code queue} and {@code agentId} are optional filters; {@code assigned} is empty without an agent. */
  Future<Queue> queue(String queue, String agentId, int limit);

  /** Creates or replaces an agent; answers it with its current load. */
  Future<Agent.WithLoad> putAgent(Agent agent);

  Future<Optional<Agent.WithLoad>> agent(String agentId);

  /** Every agent, by id. */
  Future<List<Agent.WithLoad>> agents();

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
