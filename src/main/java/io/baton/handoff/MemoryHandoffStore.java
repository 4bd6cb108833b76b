package io.baton.handoff;

import io.baton.events.MemoryEventLog;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded store: the same semantics as PostgreSQL within one process, nothing kept across
 * restarts. One lock guards the maps and the event log, so a change and its event are atomic, as
 * in a transaction. Operations are short and never wait on I/O, so the lock is held briefly even
 * when every event loop calls in.
 */
public final class MemoryHandoffStore implements HandoffStore {

  private record Conversation(String userId, Owner owner) {
  }

  private final Object lock = new Object();
  private final Map<String, Handoff> handoffs = new HashMap<>();
  private final Map<String, String> activeByConversation = new HashMap<>();
  private final Map<String, Conversation> conversations = new HashMap<>();
  private final MemoryEventLog events;

  public MemoryHandoffStore(MemoryEventLog events) {
    this.events = events;
  }

  @Override
  public Future<CreateOutcome> createOrGetActive(Handoff draft) {
    synchronized (lock) {
      Conversation conversation = conversations.get(draft.conversationId());
      if (conversation != null && conversation.owner() == Owner.CLOSED) {
        return Future.failedFuture(HandoffEvents.closedConversation(draft.conversationId()));
      }
      String activeId = activeByConversation.get(draft.conversationId());
      if (activeId != null) {
        return Future.succeededFuture(new CreateOutcome(handoffs.get(activeId), false));
      }
      String userId = conversation == null ? draft.userId() : conversation.userId();
      conversations.put(draft.conversationId(), new Conversation(userId, Owner.QUEUED));
      handoffs.put(draft.id(), draft);
      activeByConversation.put(draft.conversationId(), draft.id());
      events.append(HandoffEvents.created(draft));
      return Future.succeededFuture(new CreateOutcome(draft, true));
    }
  }

  @Override
  public Future<Optional<Handoff>> get(String handoffId) {
    synchronized (lock) {
      return Future.succeededFuture(Optional.ofNullable(handoffs.get(handoffId)));
    }
  }

  @Override
  public Future<HandoffPage> list(HandoffQuery query) {
    List<Handoff> matching;
    synchronized (lock) {
      matching = handoffs.values().stream().filter(query::matches).toList();
    }
    List<Handoff> page = matching.stream()
        .sorted(LISTING_ORDER)
        .skip(query.offset())
        .limit(query.pageSize())
        .toList();
    return Future.succeededFuture(new HandoffPage(page, matching.size(), query.page(), query.pageSize()));
  }

  @Override
  public Future<Handoff> cancel(String handoffId, Instant at) {
    synchronized (lock) {
      Handoff current = handoffs.get(handoffId);
      if (current == null) {
        return Future.failedFuture(HandoffEvents.notFound(handoffId));
      }
      if (current.status() == HandoffStatus.CANCELLED) {
        return Future.succeededFuture(current);
      }
      if (current.status() != HandoffStatus.PENDING) {
        return Future.failedFuture(HandoffEvents.notPending(current));
      }
      Handoff cancelled = current.withStatus(HandoffStatus.CANCELLED, at);
      handoffs.put(handoffId, cancelled);
      activeByConversation.remove(current.conversationId());
      conversations.computeIfPresent(current.conversationId(), (id, c) -> new Conversation(c.userId(), Owner.BOT));
      events.append(HandoffEvents.cancelled(cancelled));
      return Future.succeededFuture(cancelled);
    }
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }
}
