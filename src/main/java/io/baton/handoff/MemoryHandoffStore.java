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
  /** Each handoff's tenant, by handoff id (ids are unique across tenants). */
  private final Map<String, String> tenants = new HashMap<>();
  /** Both keyed by {@link #key}: conversation ids are the clients', and repeat across tenants. */
  private final Map<String, String> activeByConversation = new HashMap<>();
  private final Map<String, Conversation> conversations = new HashMap<>();
  private final MemoryEventLog events;
  private final Consumer<InlineTicket> ticketWriter;

  /** {@code ticketWriter} keeps a new handoff's built-in ticket (and its event) in the ticket store. */
  public MemoryHandoffStore(MemoryEventLog events, Consumer<InlineTicket> ticketWriter) {
    this.events = events;
    this.ticketWriter = ticketWriter;
  }

  /** A conversation's key: its tenant and its id, which cannot contain the separator. */
  public static String key(String tenant, String conversationId) {
    return tenant + '\u0000' + conversationId;
  }

  private Handoff inTenant(String tenant, String handoffId) {
    return tenant.equals(tenants.get(handoffId)) ? handoffs.get(handoffId) : null;
  }

  @Override
  public Future<CreateOutcome> createOrGetActive(String tenant, Handoff draft, InlineTicket ticket) {
    String conversationKey = key(tenant, draft.conversationId());
    synchronized (lock) {
      Conversation conversation = conversations.get(conversationKey);
      if (conversation != null && conversation.owner() == Owner.CLOSED) {
        return Future.failedFuture(HandoffEvents.closedConversation(draft.conversationId()));
      }
      String activeId = activeByConversation.get(conversationKey);
      if (activeId != null) {
        return Future.succeededFuture(new CreateOutcome(handoffs.get(activeId), false));
      }
      String userId = conversation == null ? draft.userId() : conversation.userId();
      // As in PostgreSQL: an agent who took the conversation over keeps it.
      Owner owner = conversation == null || conversation.owner() == Owner.BOT ? Owner.QUEUED : conversation.owner();
      conversations.put(conversationKey, new Conversation(userId, owner));
      handoffs.put(draft.id(), draft);
      tenants.put(draft.id(), tenant);
      activeByConversation.put(conversationKey, draft.id());
      events.append(HandoffEvents.created(draft).inTenant(tenant));
      if (ticket != null) {
        ticketWriter.accept(new InlineTicket(ticket.ticketId(), ticket.ticketUrl(), ticket.row().copy().put("tenant", tenant),
            ticket.created().inTenant(tenant)));
      }
      return Future.succeededFuture(new CreateOutcome(draft, true));
    }
  }

  @Override
  public Future<Optional<Handoff>> get(String tenant, String handoffId) {
    synchronized (lock) {
      return Future.succeededFuture(Optional.ofNullable(inTenant(tenant, handoffId)));
    }
  }

  @Override
  public Future<HandoffPage> list(String tenant, HandoffQuery query) {
    List<Handoff> matching;
    synchronized (lock) {
      matching = handoffs.values().stream()
          .filter(h -> tenant.equals(tenants.get(h.id())))
          .filter(query::matches).toList();
    }
    List<Handoff> page = matching.stream()
        .sorted(LISTING_ORDER)
        .skip(query.offset())
        .limit(query.pageSize())
        .toList();
    return Future.succeededFuture(new HandoffPage(page, matching.size(), query.page(), query.pageSize()));
  }

  @Override
  public Future<Handoff> cancel(String tenant, String handoffId, Instant at) {
    synchronized (lock) {
      Handoff current = inTenant(tenant, handoffId);
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
      String conversationKey = key(tenant, current.conversationId());
      activeByConversation.remove(conversationKey);
      conversations.computeIfPresent(conversationKey, (id, c) -> c.owner() == Owner.CLOSED ? c
          : new Conversation(c.userId(), Owner.BOT));
      events.append(HandoffEvents.cancelled(cancelled).inTenant(tenant));
      return Future.succeededFuture(cancelled);
    }
  }

  @Override
  public Future<Handoff> setTicket(String tenant, String handoffId, String ticketId, String ticketUrl, Instant at) {
    synchronized (lock) {
      Handoff current = inTenant(tenant, handoffId);
      if (current == null) {
        return Future.failedFuture(HandoffEvents.notFound(handoffId));
      }
      if (ticketId.equals(current.ticketId())) {
        return Future.succeededFuture(current);
      }
      Handoff linked = current.withTicket(ticketId, ticketUrl, at);
      handoffs.put(handoffId, linked);
      events.append(HandoffEvents.ticketLinked(linked).inTenant(tenant));
      return Future.succeededFuture(linked);
    }
  }

  @Override
  public Future<Optional<String>> tenantOf(String handoffId) {
    synchronized (lock) {
      return Future.succeededFuture(Optional.ofNullable(tenants.get(handoffId)));
    }
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  /**
   * This store's handoffs and conversation owners as the operator store of the same process sees
   * them. Only valid inside {@link #locked}, so that operator changes, handoff changes and their
   * events are atomic together, as one PostgreSQL transaction would make them. A view shows one
   * tenant: other tenants' handoffs and conversations are not in it, and its events are that tenant's.
   */
  /** Handoffs by id, and the event log: what work across tenants may touch. */
  public interface AllTenants {

    Optional<Handoff> handoff(String handoffId);

    Stream<Handoff> handoffs();

    Event append(Event event);
  }

  /** One tenant's handoffs and conversations. */
  public interface Tables extends AllTenants {

    Optional<Handoff> activeHandoff(String conversationId);

    Optional<Owner> owner(String conversationId);

    Optional<String> userId(String conversationId);

    void putConversation(String conversationId, String userId, Owner owner);

    /** Stores a changed handoff and keeps the one-active-handoff-per-conversation index up to date. */
    void putHandoff(Handoff handoff);
  }

  private final class TenantTables implements Tables {
    private final String tenant;

    TenantTables(String tenant) {
      this.tenant = tenant;
    }

    @Override
    public Optional<Handoff> handoff(String handoffId) {
      return Optional.ofNullable(inTenant(tenant, handoffId));
    }

    @Override
    public Optional<Handoff> activeHandoff(String conversationId) {
      return Optional.ofNullable(activeByConversation.get(key(tenant, conversationId))).map(handoffs::get);
    }

    @Override
    public Stream<Handoff> handoffs() {
      return handoffs.values().stream().filter(h -> tenant.equals(tenants.get(h.id())));
    }

    @Override
    public Optional<Owner> owner(String conversationId) {
      return Optional.ofNullable(conversations.get(key(tenant, conversationId))).map(Conversation::owner);
    }

    @Override
    public Optional<String> userId(String conversationId) {
      return Optional.ofNullable(conversations.get(key(tenant, conversationId))).map(Conversation::userId);
    }

    @Override
    public void putConversation(String conversationId, String userId, Owner owner) {
      conversations.put(key(tenant, conversationId), new Conversation(userId, owner));
    }

    @Override
    public void putHandoff(Handoff handoff) {
      String owner = tenants.putIfAbsent(handoff.id(), tenant);
      if (owner != null && !owner.equals(tenant)) {
        throw new IllegalStateException("Handoff " + handoff.id() + " belongs to another tenant");
      }
      handoffs.put(handoff.id(), handoff);
      String conversationKey = key(tenant, handoff.conversationId());
      if (handoff.status().isActive()) {
        activeByConversation.put(conversationKey, handoff.id());
      } else {
        activeByConversation.remove(conversationKey, handoff.id());
      }
    }

    @Override
    public Event append(Event event) {
      return events.append(event.inTenant(tenant));
    }
  }

  /** Runs {@code work} under this store's lock, on {@code tenant}'s view; see {@link Tables}. */
  public <T> T locked(String tenant, Function<Tables, T> work) {
    synchronized (lock) {
      return work.apply(new TenantTables(tenant));
    }
  }

  /**
   * Runs {@code work} under this store's lock on every tenant's handoffs, for background work that
   * holds only handoff ids (ticket retries): an event is written in the tenant of its handoff.
   * Conversations are not reachable through this view.
   */
  public <T> T lockedAll(Function<AllTenants, T> work) {
    synchronized (lock) {
      return work.apply(allTenants);
    }
  }

  private final AllTenants allTenants = new AllTenants() {
    @Override
    public Optional<Handoff> handoff(String handoffId) {
      return Optional.ofNullable(handoffs.get(handoffId));
    }

    @Override
    public Stream<Handoff> handoffs() {
      return handoffs.values().stream();
    }

    @Override
    public Event append(Event event) {
      String tenant = event.handoffId() == null ? null : tenants.get(event.handoffId());
      return events.append(tenant == null ? event : event.inTenant(tenant));
    }
  };

  /** The tenants that have handoffs, for work that serves every tenant (the escalation sweep). */
  public java.util.Set<String> tenants() {
    synchronized (lock) {
      return java.util.Set.copyOf(tenants.values());
    }
  }
}
