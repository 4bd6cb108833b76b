package io.baton.handoff;

import io.baton.events.Event;
import io.baton.events.MemoryEventLog;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

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
  private final Consumer<InlineTicket> ticketWriter;

  /** {@code ticketWriter} keeps a new handoff's built-in ticket (and its event) in the ticket store. */
  public MemoryHandoffStore(MemoryEventLog events, Consumer<InlineTicket> ticketWriter) {
    this.events = events;
    this.ticketWriter = ticketWriter;
  }

  @Override
  public Future<CreateOutcome> createOrGetActive(Handoff draft, InlineTicket ticket) {
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
      // As in PostgreSQL: an agent who took the conversation over keeps it.
      Owner owner = conversation == null || conversation.owner() == Owner.BOT ? Owner.QUEUED : conversation.owner();
      conversations.put(draft.conversationId(), new Conversation(userId, owner));
      handoffs.put(draft.id(), draft);
      activeByConversation.put(draft.conversationId(), draft.id());
      events.append(HandoffEvents.created(draft));
      if (ticket != null) {
        ticketWriter.accept(ticket);
      }
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
  public Future<Handoff> setTicket(String handoffId, String ticketId, String ticketUrl, Instant at) {
    synchronized (lock) {
      Handoff current = handoffs.get(handoffId);
      if (current == null) {
        return Future.failedFuture(HandoffEvents.notFound(handoffId));
      }
      if (ticketId.equals(current.ticketId())) {
        return Future.succeededFuture(current);
      }
      Handoff linked = current.withTicket(ticketId, ticketUrl, at);
      handoffs.put(handoffId, linked);
      events.append(HandoffEvents.ticketLinked(linked));
      return Future.succeededFuture(linked);
    }
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  /**
   * This store's handoffs and conversation owners as the operator store of the same process sees
   * them. Only valid inside {@link #locked}, so that operator changes, handoff changes and their
   * events are atomic together, as one PostgreSQL transaction would make them.
   */
  public interface Tables {

    Optional<Handoff> handoff(String handoffId);

    Optional<Handoff> activeHandoff(String conversationId);

    Stream<Handoff> handoffs();

    Optional<Owner> owner(String conversationId);

    Optional<String> userId(String conversationId);

    void putConversation(String conversationId, String userId, Owner owner);

    /** Stores a changed handoff and keeps the one-active-handoff-per-conversation index up to date. */
    void putHandoff(Handoff handoff);

    Event append(Event event);
  }

  private final Tables tables = new Tables() {
    @Override
    public Optional<Handoff> handoff(String handoffId) {
      return Optional.ofNullable(handoffs.get(handoffId));
    }

    @Override
    public Optional<Handoff> activeHandoff(String conversationId) {
      return Optional.ofNullable(activeByConversation.get(conversationId)).map(handoffs::get);
    }

    @Override
    public Stream<Handoff> handoffs() {
      return handoffs.values().stream();
    }

    @Override
    public Optional<Owner> owner(String conversationId) {
      return Optional.ofNullable(conversations.get(conversationId)).map(Conversation::owner);
    }

    @Override
    public Optional<String> userId(String conversationId) {
      return Optional.ofNullable(conversations.get(conversationId)).map(Conversation::userId);
    }

    @Override
    public void putConversation(String conversationId, String userId, Owner owner) {
      conversations.put(conversationId, new Conversation(userId, owner));
    }

    @Override
    public void putHandoff(Handoff handoff) {
      handoffs.put(handoff.id(), handoff);
      if (handoff.status().isActive()) {
        activeByConversation.put(handoff.conversationId(), handoff.id());
      } else {
        activeByConversation.remove(handoff.conversationId(), handoff.id());
      }
    }

    @Override
    public Event append(Event event) {
      return events.append(event);
    }
  };

  /** Runs {@code work} under this store's lock; see {@link Tables}. */
  public <T> T locked(Function<Tables, T> work) {
    synchronized (lock) {
      return work.apply(tables);
    }
  }
}
