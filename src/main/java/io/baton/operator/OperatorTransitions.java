package io.baton.operator;

import io.baton.bus.BatonException;
import io.baton.events.Event;
import io.baton.events.EventTypes;
import io.baton.handoff.Handoff;
import io.baton.handoff.HandoffStatus;
import io.baton.handoff.Owner;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The ownership state machine, shared by both stores so that they decide alike. Each function
 * takes the current (locked) state and answers what to write: the next handoff and conversation
 * and the events that describe the change. No events means the request asks for the state that is
 * already there, which is answered unchanged. An illegal transition fails CONFLICT with the
 * current state.
 *
 * <pre>
 * handoff:      pending → assigned → resolved | released;  pending → released | cancelled
 * conversation: BOT → QUEUED → AGENT(agent) → BOT (hand back, release) | CLOSED (resolve)
 * </pre>
 */
public final class OperatorTransitions {

  /** The agent id of an operator who does not name themself (the seed's takeover has only a phone). */
  public static final String UNNAMED_OPERATOR = "operator";

  /** What to write. {@code handoff} is null when the conversation has no handoff involved. */
  public record Outcome(Conversation conversation, Handoff handoff, boolean conversationChanged,
      boolean handoffChanged, List<Event> events) {

    public boolean changed() {
      return !events.isEmpty();
    }

    static Outcome unchanged(Conversation conversation, Handoff handoff) {
      return new Outcome(conversation, handoff, false, false, List.of());
    }
  }

  private OperatorTransitions() {
  }

  public static Outcome assign(Handoff current, Conversation conversation, String agentId, Instant at) {
    if (current.status() == HandoffStatus.ASSIGNED && agentId.equals(current.assignedAgent())) {
      return Outcome.unchanged(conversation, current);
    }
    if (current.status() != HandoffStatus.PENDING) {
      throw handoffConflict(current, "only a pending handoff can be assigned");
    }
    Handoff next = withStatus(current, HandoffStatus.ASSIGNED, agentId, at);
    List<Event> events = new ArrayList<>();
    events.add(handoffEvent(EventTypes.HANDOFF_ASSIGNED, next, null));
    Conversation owned = conversation.withOwner(Owner.AGENT, agentId);
    boolean conversationChanged = !owned.equals(conversation);
    if (conversationChanged) {
      events.add(conversationEvent(EventTypes.CONVERSATION_TAKEN_OVER, owned, conversation, next, at));
    }
    return new Outcome(owned, next, conversationChanged, true, events);
  }

  /** As {@link #assign}, chosen by auto-assignment: only a pending handoff, and the event says so. */
  public static Outcome autoAssign(Handoff current, Conversation conversation, String agentId, Instant at) {
    if (current.status() != HandoffStatus.PENDING) {
      throw handoffConflict(current, "only a pending handoff can be assigned");
    }
    Outcome assigned = assign(current, conversation, agentId, at);
    List<Event> events = new ArrayList<>(assigned.events());
    events.set(0, handoffEvent(EventTypes.HANDOFF_ASSIGNED, assigned.handoff(),
        new JsonObject().put("auto_assigned", true)));
    return new Outcome(assigned.conversation(), assigned.handoff(), assigned.conversationChanged(), true, events);
  }

  /**
   * One escalation step of a pending handoff: its new priority and queue, and
   * {@code handoff.escalated} with where it was, how long it waited there and the step's number.
   */
  public static Escalation escalate(Handoff current, EscalationPolicy.Step step, Instant waitingSince,
      int stepNumber, Instant at) {
    Handoff next = new Handoff(current.id(), current.conversationId(), current.userId(), current.kind(),
        current.status(), step.priority(), step.queue(), current.routingRule(), current.assignedAgent(),
        current.ticketId(), current.ticketUrl(), current.trigger(), current.tags(), current.transcript(),
        current.metadata(), current.context(), current.createdAt(), at, current.version() + 1);
    Event event = handoffEvent(EventTypes.HANDOFF_ESCALATED, next, new JsonObject()
        .put("from_priority", current.priority().name())
        .put("to_priority", next.priority().name())
        .put("from_queue", current.queue())
        .put("to_queue", next.queue())
        .put("step", stepNumber)
        .put("waited_seconds", Duration.between(waitingSince, at).toSeconds()));
    return new Escalation(next, event);
  }

  /** An escalated handoff and its event. */
  public record Escalation(Handoff handoff, Event event) {
  }

  public static Outcome release(Handoff current, Conversation conversation, Instant at) {
    if (current.status() == HandoffStatus.RELEASED) {
      return Outcome.unchanged(conversation, current);
    }
    if (!current.status().isActive()) {
      throw handoffConflict(current, "only a pending or assigned handoff can be released");
    }
    return releaseActive(current, conversation, at);
  }

  public static Outcome resolve(Handoff current, Conversation conversation, String resolution, Instant at) {
    if (current.status() == HandoffStatus.RESOLVED) {
      return Outcome.unchanged(conversation, current);
    }
    if (current.status() != HandoffStatus.ASSIGNED) {
      throw handoffConflict(current, "only an assigned handoff can be resolved");
    }
    Handoff next = withStatus(current, HandoffStatus.RESOLVED, current.assignedAgent(), at);
    Conversation closed = conversation.withOwner(Owner.CLOSED, null);
    List<Event> events = new ArrayList<>();
    events.add(handoffEvent(EventTypes.HANDOFF_RESOLVED, next, new JsonObject().put("resolution", resolution)));
    boolean conversationChanged = !closed.equals(conversation);
    if (conversationChanged) {
      events.add(conversationEvent(EventTypes.CONVERSATION_CLOSED, closed, conversation, next, at));
    }
    return new Outcome(closed, next, conversationChanged, true, events);
  }

  /**
   * A human answers an approval handoff: it is resolved, the conversation goes back to the bot,
   * and {@code hil_response} carries the answer to it. Repeating the same decision answers the
   * handoff unchanged; any other answer to a closed approval is a conflict.
   */
  public static Outcome answer(Handoff current, Conversation conversation, JsonObject previous, JsonObject answer,
      Instant at) {
    if (!Handoff.KIND_APPROVAL.equals(current.kind())) {
      throw BatonException.unprocessable("Handoff " + current.id() + " is not an approval request; only approvals"
          + " (kind approval) take an answer");
    }
    if (current.status() == HandoffStatus.RESOLVED && previous != null && sameDecision(previous, answer)) {
      return Outcome.unchanged(conversation, current);
    }
    if (!current.status().isActive()) {
      BatonException conflict = handoffConflict(current, "only a pending or assigned approval can be answered");
      conflict.extensions().put("answer", previous);
      throw conflict;
    }
    Handoff next = withStatus(current, HandoffStatus.RESOLVED, current.assignedAgent(), at);
    Conversation bot = conversation.owner() == Owner.CLOSED ? conversation : conversation.withOwner(Owner.BOT, null);
    List<Event> events = new ArrayList<>();
    events.add(handoffEvent(EventTypes.HANDOFF_RESOLVED, next, new JsonObject().put("answer", answer)));
    events.add(Event.of(EventTypes.HIL_RESPONSE, next.id(), next.conversationId(), next.queue(),
        answer.getString("approver_id"), answer.copy().put("handoff_id", next.id()), at));
    boolean conversationChanged = !bot.equals(conversation);
    if (conversationChanged) {
      events.add(conversationEvent(EventTypes.CONVERSATION_HANDED_BACK, bot, conversation, next, at));
    }
    return new Outcome(bot, next, conversationChanged, true, events);
  }

  private static boolean sameDecision(JsonObject previous, JsonObject answer) {
    JsonObject a = previous.copy();
    JsonObject b = answer.copy();
    a.remove("answered_at");
    b.remove("answered_at");
    return a.equals(b);
  }

  /**
   * An operator takes the conversation: it becomes the agent's, and its pending handoff (if any)
   * is assigned to them. {@code agentId} null means "whoever owns it now, else an unnamed operator".
   */
  public static Outcome takeOver(Conversation conversation, Handoff active, String agentId, Instant at) {
    if (conversation.owner() == Owner.CLOSED) {
      throw conversationConflict(conversation, "a closed conversation cannot be taken over");
    }
    if (conversation.owner() == Owner.AGENT) {
      if (agentId == null || agentId.equals(conversation.agentId())) {
        return Outcome.unchanged(conversation, active);
      }
      throw conversationConflict(conversation, "it is already taken over by " + conversation.agentId());
    }
    String agent = agentId != null ? agentId
        : active != null && active.assignedAgent() != null && active.status() == HandoffStatus.ASSIGNED
            ? active.assignedAgent() : UNNAMED_OPERATOR;
    if (active != null) {
      Outcome assigned = assign(active, conversation, agent, at);
      if (assigned.changed()) {
        return assigned;
      }
    }
    Conversation owned = conversation.withOwner(Owner.AGENT, agent);
    return new Outcome(owned, active, true, false,
        List.of(conversationEvent(EventTypes.CONVERSATION_TAKEN_OVER, owned, conversation, active, at)));
  }

  /** The conversation goes back to the bot; its active handoff, if any, is released. */
  public static Outcome handBack(Conversation conversation, Handoff active, Instant at) {
    if (conversation.owner() == Owner.CLOSED) {
      throw conversationConflict(conversation, "a closed conversation cannot be handed back");
    }
    if (active != null) {
      return releaseActive(active, conversation, at);
    }
    if (conversation.owner() == Owner.BOT) {
      return Outcome.unchanged(conversation, null);
    }
    Conversation bot = conversation.withOwner(Owner.BOT, null);
    return new Outcome(bot, null, true, false,
        List.of(conversationEvent(EventTypes.CONVERSATION_HANDED_BACK, bot, conversation, null, at)));
  }

  public static Event messageStatusUpdated(ConversationMessage message, String fromStatus, Instant at) {
    return Event.of(EventTypes.MESSAGE_STATUS_UPDATED, null, message.conversationId(), null, message.agentId(),
        new JsonObject().put("message_id", message.messageId()).put("from_status", fromStatus)
            .put("delivery_status", message.deliveryStatus())
            // The channel's id once it took the message, so an agent UI can match the provider's reports.
            .put("provider_message_id", message.providerMessageId()), at);
  }

  public static Event messageCreated(ConversationMessage message) {
    return Event.of(EventTypes.MESSAGE_CREATED, null, message.conversationId(), null, message.agentId(),
        new JsonObject().put("message", message.toJson()), message.createdAt());
  }

  private static Outcome releaseActive(Handoff current, Conversation conversation, Instant at) {
    Handoff next = withStatus(current, HandoffStatus.RELEASED, current.assignedAgent(), at);
    Conversation bot = conversation.owner() == Owner.CLOSED ? conversation : conversation.withOwner(Owner.BOT, null);
    List<Event> events = new ArrayList<>();
    events.add(handoffEvent(EventTypes.HANDOFF_RELEASED, next, null));
    boolean conversationChanged = !bot.equals(conversation);
    if (conversationChanged) {
      events.add(conversationEvent(EventTypes.CONVERSATION_HANDED_BACK, bot, conversation, next, at));
    }
    return new Outcome(bot, next, conversationChanged, true, events);
  }

  static Handoff withStatus(Handoff h, HandoffStatus status, String agentId, Instant at) {
    return new Handoff(h.id(), h.conversationId(), h.userId(), h.kind(), status, h.priority(), h.queue(),
        h.routingRule(), agentId, h.ticketId(), h.ticketUrl(), h.trigger(), h.tags(), h.transcript(), h.metadata(),
        h.context(), h.createdAt(), at, h.version() + 1);
  }

  static Event handoffEvent(String type, Handoff h, JsonObject extra) {
    JsonObject data = new JsonObject().put("handoff", h.toJson());
    if (extra != null) {
      data.mergeIn(extra);
    }
    return Event.of(type, h.id(), h.conversationId(), h.queue(), h.assignedAgent(), data, h.updatedAt());
  }

  private static Event conversationEvent(String type, Conversation next, Conversation previous, Handoff handoff,
      Instant at) {
    JsonObject data = new JsonObject()
        .put("conversation", next.toJson())
        .put("previous_owner", previous.owner().name());
    return Event.of(type, handoff == null ? null : handoff.id(), next.conversationId(),
        handoff == null ? null : handoff.queue(), next.agentId() != null ? next.agentId() : previous.agentId(), data,
        at);
  }

  static BatonException handoffConflict(Handoff current, String rule) {
    String state = current.status().wireName()
        + (current.assignedAgent() != null && current.status() != HandoffStatus.PENDING
            ? " (agent " + current.assignedAgent() + ")" : "");
    return BatonException.conflict("Handoff " + current.id() + " is " + state + "; " + rule,
        new JsonObject()
            .put("current_status", current.status().wireName())
            .put("assigned_agent", current.assignedAgent())
            .put("handoff", current.toJson()));
  }

  static BatonException conversationConflict(Conversation current, String rule) {
    return BatonException.conflict(
        "Conversation " + current.conversationId() + " is owned by " + current.owner().name()
            + (current.agentId() != null ? " (agent " + current.agentId() + ")" : "") + "; " + rule,
        new JsonObject()
            .put("current_owner", current.owner().name())
            .put("agent_id", current.agentId())
            .put("conversation", current.toJson()));
  }
}
