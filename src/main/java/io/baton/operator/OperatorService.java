package io.baton.operator;

import io.baton.bus.Addresses;
import io.baton.bus.BusHandlers;
import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.bus.Failures;
import io.baton.handoff.Handoff;
import io.baton.handoff.HandoffIds;
import io.baton.handoff.HandoffStatus;
import io.baton.handoff.Owner;
import io.baton.handoff.Speaker;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator work: assign, release, resolve; take over and hand back; the conversation timeline and
 * the queue. Bodies arrive validated against the contract; what the seed clients expect as 400s
 * (a missing phone, an empty operator message) is checked here so its wording is exact.
 */
public final class OperatorService {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorService.class);
  static final int DEFAULT_PAGE_SIZE = 20;
  /** A channel burst is stored this many messages per transaction, so a burst of 1,000 is not 1,000 commits. */
  static final int MESSAGES_PER_TRANSACTION = 100;
  static final int MAX_PAGE_SIZE = 100;
  static final int DEFAULT_QUEUE_LIMIT = 50;
  static final int MAX_QUEUE_LIMIT = 200;
  /** Digits with the country code, as WhatsApp sends them (E.164 allows at most 15). */
  private static final Pattern PHONE = Pattern.compile("\\d{6,15}");

  private final OperatorStore store;
  private final EventBus bus;
  private final Duration createTimeout;
  private final Clock clock;
  private final HandoffIds ids;
  private final AutoAssigner autoAssigner;
  private final int waitHistory;
  private final Outbox outbox;

  public OperatorService(OperatorStore store, EventBus bus, Duration createTimeout, Clock clock,
      AutoAssigner autoAssigner, int waitHistory) {
    this(store, bus, createTimeout, clock, autoAssigner, waitHistory, Outbox.NONE);
  }

  public OperatorService(OperatorStore store, EventBus bus, Duration createTimeout, Clock clock,
      AutoAssigner autoAssigner, int waitHistory, Outbox outbox) {
    this.outbox = outbox;
    this.store = store;
    this.bus = bus;
    this.createTimeout = createTimeout;
    this.clock = clock;
    this.ids = new HandoffIds(clock);
    this.autoAssigner = autoAssigner;
    this.waitHistory = waitHistory;
  }

  // ---- handoff transitions ----

  public Future<JsonObject> assign(String tenant, String handoffId, String agentId) {
    return store.assign(tenant, handoffId, agentId, now()).map(h -> h.toJson());
  }

  public Future<JsonObject> release(String tenant, String handoffId) {
    return store.release(tenant, handoffId, now()).compose(h -> afterFreed(tenant, h)).map(h -> h.toJson());
  }

  public Future<JsonObject> resolve(String tenant, String handoffId, String resolution) {
    return store.resolve(tenant, handoffId, resolution, now()).compose(h -> afterFreed(tenant, h))
        .map(h -> h.toJson().put("resolution", resolution));
  }

  /**
   * The handoff's agent has a place free: auto-assignment runs before the answer, so that a client
   * reading the queue next sees its outcome. Its failure does not fail the change already made.
   */
  private Future<Handoff> afterFreed(String tenant, Handoff closed) {
    if (closed.assignedAgent() == null) {
      return Future.succeededFuture(closed);
    }
    return autoAssigner.forAgent(tenant, closed.assignedAgent())
        .transform(done -> {
          if (done.failed()) {
            LOG.warn("Auto-assignment after handoff {} failed; the sweep retries", closed.id(), done.cause());
          }
          return Future.succeededFuture(closed);
        });
  }

  // ---- automatic assignment and waiting estimates ----

  /** A handoff was queued in {@code queue}: give it (or an older one) to an agent with room. */
  public Future<JsonObject> autoAssignQueue(String tenant, String queue) {
    return autoAssigner.forQueue(tenant, queue).map(assigned -> new JsonObject().put("assigned", assigned.size()));
  }

  /**
   * A pending handoff's {@code queue_position} and {@code estimated_wait_seconds}; empty when it is
   * not pending.
   */
  public Future<JsonObject> standing(String tenant, String handoffId) {
    return store.standing(tenant, handoffId).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(new JsonObject());
      }
      OperatorStore.Standing standing = found.get();
      return store.medianTimeToAssign(tenant, standing.queue(), waitHistory).map(median -> new JsonObject()
          .put("queue_position", standing.position())
          .put("estimated_wait_seconds", estimatedWait(median.orElse(null), standing.waitingSince())));
    });
  }

  /**
   * What is left of the queue's median time to assign once the time already waited is taken off;
   * null without history.
   */
  private Long estimatedWait(Duration median, Instant waitingSince) {
    if (median == null) {
      return null;
    }
    Duration left = median.minus(Duration.between(waitingSince, clock.instant()));
    return left.isNegative() ? 0L : (left.toMillis() + 999) / 1000;
  }

  /**
   * A human's answer to an approval. {@code approval} is {@code approved} or {@code denied}; the
   * booleans the seed's clients send mean the same.
   */
  public Future<JsonObject> answer(String tenant, String handoffId, JsonObject body) {
    Object approval = body.getValue("approval");
    boolean approved = Boolean.TRUE.equals(approval) || "approved".equals(approval);
    JsonObject answer = new JsonObject()
        .put("answer", body.getString("answer"))
        .put("approval", approved ? "approved" : "denied")
        .put("approved", approved)
        .put("comments", body.getString("comments"))
        .put("approver_id", body.getString("approver_id"))
        .put("answered_at", now().toString());
    return store.answer(tenant, handoffId, answer, now())
        .compose(answered -> afterFreed(tenant, answered.handoff()).map(answered))
        .map(answered -> answered.handoff().toJson().put("answer", answered.answer()));
  }

  // ---- agents ----

  /** An agent put online (or given room or queues) takes what is waiting, then answers with their load. */
  public Future<JsonObject> putAgent(String tenant, String agentId, JsonObject body) {
    Agent agent = new Agent(agentId, body.getString("name"),
        body.getJsonArray("queues").stream().map(String::valueOf).distinct().toList(),
        body.getInteger("max_concurrent"), body.getString("status"), now());
    return store.putAgent(tenant, agent).compose(put -> {
      if (!"online".equals(agent.status())) {
        return Future.succeededFuture(put.toJson());
      }
      return autoAssigner.forAgent(tenant, agentId)
          .transform(done -> {
            if (done.failed()) {
              LOG.warn("Auto-assignment for agent {} failed; the sweep retries", agentId, done.cause());
              return Future.succeededFuture(put);
            }
            return done.result().isEmpty() ? Future.succeededFuture(put)
                : store.agent(tenant, agentId).map(found -> found.orElse(put));
          })
          .map(Agent.WithLoad::toJson);
    });
  }

  public Future<JsonObject> agent(String tenant, String agentId) {
    return store.agent(tenant, agentId).map(found -> found
        .orElseThrow(() -> BatonException.notFound("Agent " + agentId + " not found")).toJson());
  }

  public Future<JsonObject> agents(String tenant) {
    return store.agents(tenant).map(all -> {
      JsonArray items = new JsonArray();
      all.forEach(a -> items.add(a.toJson()));
      return new JsonObject().put("agents", items);
    });
  }

  // ---- conversations ----

  public Future<JsonObject> conversation(String tenant, String conversationId) {
    return store.conversation(tenant, conversationId)
        .map(found -> found.orElseThrow(() -> OperatorStore.conversationNotFound(conversationId)).toJson());
  }

  /** {@code {conversation_ids: [...]}}: {@code {owners: {<id>: BOT|QUEUED|AGENT}}} for those that exist. Bus only. */
  public Future<JsonObject> owners(String tenant, JsonObject command) {
    List<String> ids = command.getJsonArray("conversation_ids", new JsonArray()).stream().map(String::valueOf).toList();
    return store.owners(tenant, ids).map(owners -> {
      JsonObject answer = new JsonObject();
      owners.forEach((id, owner) -> answer.put(id, owner.name()));
      return new JsonObject().put("owners", answer);
    });
  }

  public Future<JsonObject> assignConversation(String tenant, String conversationId, String agentId) {
    return store.assignActive(tenant, conversationId, agentId, now()).map(ConversationView::toJson);
  }

  public Future<JsonObject> releaseConversation(String tenant, String conversationId) {
    return handBackFreeing(tenant, conversationId).map(ConversationView::toJson);
  }

  /**
   * Hands the conversation back; the agent its assigned handoff had (read just before) has a place
   * free. Should another change come in between, the trigger goes to an agent with nothing new to
   * take, which is harmless; the sweep covers the rest.
   */
  private Future<ConversationView> handBackFreeing(String tenant, String conversationId) {
    return store.conversation(tenant, conversationId)
        .map(found -> found.map(ConversationView::activeHandoff)
            .filter(h -> h.status() == HandoffStatus.ASSIGNED)
            .map(Handoff::assignedAgent)
            .orElse(null))
        .compose(agentId -> store.handBack(tenant, conversationId, now())
            .compose(view -> agentId == null ? Future.succeededFuture(view)
                : autoAssigner.forAgent(tenant, agentId).transform(done -> {
                  if (done.failed()) {
                    LOG.warn("Auto-assignment after handing back {} failed; the sweep retries", conversationId,
                        done.cause());
                  }
                  return Future.succeededFuture(view);
                })));
  }

  /**
   * Hands the conversation over through the handoff capability, so that triggers and routing
   * apply as for any create. Without a transcript in the body, the conversation's own timeline is
   * the transcript; without either, the request's reason is.
   */
  public Future<JsonObject> requestHandoff(String tenant, String conversationId, JsonObject body, String requestId) {
    JsonObject request = body == null ? new JsonObject() : body;
    JsonObject metadata = request.getJsonObject("metadata", new JsonObject()).copy();
    String reason = request.getString("reason");
    if (reason != null) {
      metadata.put("reason", reason);
    }
    Future<JsonArray> transcript = request.getJsonArray("messages") != null
        ? Future.succeededFuture(request.getJsonArray("messages"))
        : timelineTranscript(tenant, conversationId, reason);
    Future<String> userId = request.getString("user_id") != null
        ? Future.succeededFuture(request.getString("user_id"))
        : store.conversation(tenant, conversationId).map(found -> found
            .map(view -> view.conversation().userId()).orElse(conversationId));
    return Future.all(transcript, userId).compose(ready -> {
      JsonObject create = new JsonObject()
          .put("conversation_id", conversationId)
          .put("user_id", userId.result())
          .put("messages", transcript.result())
          .put("metadata", metadata);
      if (request.getString("priority") != null) {
        create.put("priority", request.getString("priority"));
      }
      DeliveryOptions options = BusHandlers.forTenant(
          new DeliveryOptions().setSendTimeout(createTimeout.toMillis()), tenant);
      if (requestId != null) {
        options.addHeader(Addresses.REQUEST_ID_HEADER, requestId);
      }
      return bus.<JsonObject>request(Addresses.HANDOFF_CREATE, new JsonObject().put("body", create), options)
          .map(Message::body)
          .recover(failure -> Future.failedFuture(Failures.classify(failure)));
    });
  }

  private Future<JsonArray> timelineTranscript(String tenant, String conversationId, String reason) {
    return store.messages(tenant, conversationId, 1, MAX_PAGE_SIZE)
        .map(page -> {
          JsonArray lines = new JsonArray();
          page.messages().forEach(m -> {
            if (m.content() != null && !m.content().isBlank()) {
              lines.add(new JsonObject().put("speaker", m.speaker().wireName()).put("content", m.content()));
            }
          });
          return lines;
        })
        .otherwise(unknown -> new JsonArray())
        .map(lines -> lines.isEmpty()
            ? lines.add(new JsonObject().put("speaker", "system")
                .put("content", reason != null ? reason : "Handoff requested for conversation " + conversationId))
            : lines);
  }

  public Future<JsonObject> queue(String tenant, String queue, String agentId, Integer limit) {
    int max = limit == null ? DEFAULT_QUEUE_LIMIT : Math.clamp(limit, 1, MAX_QUEUE_LIMIT);
    return store.queue(tenant, queue, agentId, max).compose(view -> {
      Map<String, Future<Optional<Duration>>> medians = new HashMap<>();
      view.pending().forEach(h -> medians.computeIfAbsent(String.valueOf(h.queue()),
          q -> store.medianTimeToAssign(tenant, q, waitHistory)));
      return Future.all(List.copyOf(medians.values())).map(ready -> {
        JsonArray pending = new JsonArray();
        Map<String, Integer> positions = new HashMap<>();
        view.pending().forEach(h -> {
          String q = String.valueOf(h.queue());
          pending.add(h.toJson()
              .put("queue_position", positions.merge(q, 1, Integer::sum))
              .put("estimated_wait_seconds", estimatedWait(medians.get(q).result().orElse(null), h.createdAt())));
        });
        JsonArray assigned = new JsonArray();
        view.assigned().forEach(h -> assigned.add(h.toJson()));
        return new JsonObject()
            .put("queue", queue)
            .put("agent_id", agentId)
            .put("total_pending", view.totalPending())
            .put("pending", pending)
            .put("assigned", assigned);
      });
    });
  }


  public Future<JsonObject> addMessage(String tenant, String conversationId, JsonObject body) {
    Speaker speaker = Speaker.parse(body.getString("message_owner")).orElseThrow();
    String agentId = body.getString("agent_id");
    // An agent's words go to the customer; an automation's only when asked (deliver).
    boolean outgoing = speaker == Speaker.AGENT || (speaker == Speaker.AI && body.getBoolean("deliver", false));
    ConversationMessage message = new ConversationMessage(
        messageId(body.getString("message_id")), conversationId, speaker, body.getString("content"),
        agentId, body.getJsonObject("media"), outgoing ? ConversationMessage.QUEUED : null, now());
    // Channel traffic (over the bus only) names the customer and carries the normalised message as media.
    String userId = body.getString("user_id", conversationId);
    return storeOutgoing(tenant, message, userId, outgoing, speaker == Speaker.AGENT).map(outcome -> outcome.message().toJson()
        // While a person owns the conversation, the customer's words are not the bot's to answer.
        .put("forward_to_bot", outcome.message().speaker() == Speaker.USER
            && outcome.owner() == Owner.BOT));
  }

  /**
   * A channel webhook's customer messages, per conversation
   * ({@code {conversations: [{conversation_id, user_id, messages: [body…]}…]}}, bodies as for
   * {@link #addMessage}); answers {@code {conversations: [{created_ids, marks} | {failed}…]}} in the
   * same order: the ids stored now (not before) and the awaiting-the-bot marks made for them, or why
   * the conversation's messages could not be stored.
   * One conversation's failure does not hide what the others stored (the caller buffers those for
   * the bot). Conversations are stored side by side (their writes share commits); each
   * conversation's messages in order, {@link #MESSAGES_PER_TRANSACTION} at a time. A customer's
   * message with {@code await_bot: true} (the webhook path's, to be buffered for the bot) is also
   * marked as awaiting the bot's buffer when it is new, in the same write. Bus only.
   */
  public Future<JsonObject> addMessages(String tenant, JsonObject command) {
    List<Future<JsonObject>> conversations = new ArrayList<>();
    for (Object item : command.getJsonArray("conversations", new JsonArray())) {
      conversations.add(Future.succeededFuture((JsonObject) item)
          .compose(conversation -> addConversationMessages(tenant, conversation)));
    }
    return Future.join(conversations).transform(done -> Future.succeededFuture(new JsonObject().put("conversations",
        new JsonArray(conversations.stream().map(stored -> stored.succeeded() ? stored.result()
            : new JsonObject().put("failed", String.valueOf(stored.cause().getMessage()))).toList()))));
  }

  /** {@code {created_ids, marks}}: the ids stored now, and the awaiting-the-bot marks made for them. */
  private Future<JsonObject> addConversationMessages(String tenant, JsonObject conversation) {
    String conversationId = conversation.getString("conversation_id");
    String userId = conversation.getString("user_id", conversationId);
    List<ConversationMessage> messages = new ArrayList<>();
    Set<String> awaitBot = new HashSet<>();
    for (Object item : conversation.getJsonArray("messages", new JsonArray())) {
      JsonObject body = (JsonObject) item;
      Speaker speaker = Speaker.parse(body.getString("message_owner")).orElseThrow();
      ConversationMessage message = new ConversationMessage(messageId(body.getString("message_id")), conversationId,
          speaker, body.getString("content"), body.getString("agent_id"), body.getJsonObject("media"),
          speaker == Speaker.AGENT ? ConversationMessage.QUEUED : null, now());
      messages.add(message);
      // Only the customer's words go to the bot; an agent's or an automation's never await it.
      if (speaker == Speaker.USER && body.getBoolean("await_bot", false)) {
        awaitBot.add(message.messageId());
      }
    }
    JsonArray created = new JsonArray();
    JsonArray marks = new JsonArray();
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < messages.size(); from += MESSAGES_PER_TRANSACTION) {
      List<ConversationMessage> chunk = messages.subList(from, Math.min(messages.size(), from + MESSAGES_PER_TRANSACTION));
      chain = chain.compose(previous -> store.addMessages(tenant, chunk, userId, awaitBot).map(outcomes -> {
        for (OperatorStore.MessageOutcome outcome : outcomes) {
          if (outcome.created()) {
            created.add(outcome.message().messageId());
          }
          if (outcome.awaitingMark() != OperatorStore.MessageOutcome.NOT_MARKED) {
            marks.add(outcome.awaitingMark());
          }
        }
        return null;
      }));
    }
    return chain.map(done -> new JsonObject().put("created_ids", created).put("marks", marks));
  }

  /** Most marks one claim takes, whatever the caller asks. */
  static final int MAX_AWAITING_CLAIM = 500;

  /**
   * {@code {marks: [mark…]}} (as {@link #addMessages} and {@link #claimAwaiting} answer them): those
   * messages are in the bot's buffer now. Every tenant's (background work of the ingest capability, bus only).
   */
  public Future<JsonObject> clearAwaiting(JsonObject command) {
    List<Long> marks = new ArrayList<>();
    for (Object mark : command.getJsonArray("marks", new JsonArray())) {
      marks.add(((Number) mark).longValue());
    }
    return store.clearAwaiting(marks).map(done -> new JsonObject().put("cleared", marks.size()));
  }

  /**
   * {@code {older_than_ms, lease_ms, limit}}: claims messages stored that long ago and still not
   * known to be in the bot's buffer; answers {@code {messages: [{mark, tenant, conversation_id, message_id,
   * media}…]}}, oldest first (all but the mark null if the message is gone). Every tenant's (bus only).
   */
  public Future<JsonObject> claimAwaiting(JsonObject command) {
    Instant now = now();
    int limit = Math.clamp(command.getInteger("limit", MAX_AWAITING_CLAIM), 1, MAX_AWAITING_CLAIM);
    return store.claimAwaiting(now.minusMillis(command.getLong("older_than_ms", 0L)), now,
            Duration.ofMillis(command.getLong("lease_ms", 30_000L)), limit)
        .map(claimed -> new JsonObject().put("messages", new JsonArray(claimed.stream()
            .map(awaiting -> new JsonObject()
                .put("mark", awaiting.mark())
                .put("tenant", awaiting.tenant())
                .put("conversation_id", awaiting.conversationId())
                .put("message_id", awaiting.messageId())
                .put("media", awaiting.media()))
            .toList())));
  }

  public Future<JsonObject> messages(String tenant, String conversationId, Integer page, Integer pageSize) {
    int size = pageSize == null ? DEFAULT_PAGE_SIZE : Math.clamp(pageSize, 1, MAX_PAGE_SIZE);
    return store.messages(tenant, conversationId, page == null ? 1 : Math.max(1, page), size).map(MessagePage::toJson);
  }

  // ---- the phone-keyed operator flows ----

  public Future<JsonObject> takeOver(String tenant, JsonObject body) {
    return Future.succeededFuture(body).compose(b -> target(tenant, b)).compose(target ->
        store.takeOver(tenant, target.conversationId(), body.getString("agent_id"), now())
            .recover(failure -> Future.failedFuture(target.notFound(failure)))
            .map(view -> new JsonObject().put("status", "takeover_complete")
                .put("conversation_id", view.conversation().conversationId())
                .put("agent_id", view.conversation().agentId())));
  }

  public Future<JsonObject> handBack(String tenant, JsonObject body) {
    return Future.succeededFuture(body).compose(b -> target(tenant, b)).compose(target ->
        handBackFreeing(tenant, target.conversationId())
            .recover(failure -> Future.failedFuture(target.notFound(failure)))
            .map(view -> new JsonObject().put("status", "handback_complete")
                .put("conversation_id", view.conversation().conversationId())));
  }

  /**
   * An operator's message to the customer: stored as the agent's with delivery status
   * {@code queued} (the channel send reports later), its conversation created if it is new.
   */
  public Future<JsonObject> operatorMessage(String tenant, JsonObject body) {
    return Future.succeededFuture(body).compose(b -> {
      String phone = phone(b.getString("phone"));
      return conversationOfPhone(tenant, phone).compose(conversationId -> storeOperatorMessage(tenant, b, phone, conversationId));
    });
  }

  private Future<JsonObject> storeOperatorMessage(String tenant, JsonObject b, String phone, String conversationId) {
    String text = b.getString("message");
    JsonObject media = b.getJsonObject("media");
    boolean hasText = text != null && !text.isBlank();
    if (!hasText && media == null) {
      return Future.failedFuture(new BatonException(BatonError.BAD_REQUEST, "Message text or media is required"));
    }
    ConversationMessage message = new ConversationMessage(messageId(b.getString("messageId")), conversationId,
        Speaker.AGENT, hasText ? text : null, b.getString("agent_id"), media, ConversationMessage.QUEUED, now());
    return storeOutgoing(tenant, message, phone, true, true).map(outcome -> new JsonObject()
        .put("status", "success")
        .put("message", "Message queued for processing")
        .put("message_id", outcome.message().messageId()));
  }

  /**
   * Stores a message; one for the customer ({@code outgoing}) is first prepared for its channel, which
   * may refuse it (422, nothing stored), and handed to the channel once stored.
   */
  private Future<OperatorStore.MessageOutcome> storeOutgoing(String tenant, ConversationMessage message, String userId,
      boolean outgoing, boolean human) {
    if (!outgoing) {
      return store.addMessage(tenant, message, userId);
    }
    return outbox.prepare(tenant, message, human).compose(prepared -> store.addMessage(tenant, message, userId)
        .onSuccess(outcome -> outbox.stored(tenant, outcome.message(), outcome.created(), prepared)));
  }

  /** A channel's delivery report on a message Baton sent; it only ever moves the status forward. */
  public Future<JsonObject> deliveryStatus(String tenant, JsonObject body) {
    List<String> conversationIds = body.getJsonArray("conversation_ids", new JsonArray()).stream()
        .map(String::valueOf).toList();
    if (body.getString("up_to") != null) {
      return store.readUpTo(tenant, conversationIds, Instant.parse(body.getString("up_to")), now())
          .map(read -> new JsonObject().put("updated", read > 0).put("read", read));
    }
    return store.updateDeliveryStatus(tenant, conversationIds, body.getString("message_id"), body.getString("status"), now())
        .map(updated -> new JsonObject().put("updated", updated.isPresent())
            .put("conversation_id", updated.map(ConversationMessage::conversationId).orElse(null)));
  }

  /** WhatsApp traffic keys its conversations {@code whatsapp:<phone>}. */
  static final String WHATSAPP_PREFIX = "whatsapp:";

  /**
   * The conversation a phone number names: the WhatsApp conversation of that number when one exists
   * (created by the channel webhook), else the number itself (the seed's phone-keyed conversations).
   */
  private Future<String> conversationOfPhone(String tenant, String phone) {
    return store.conversation(tenant, WHATSAPP_PREFIX + phone)
        .map(found -> found.isPresent() ? WHATSAPP_PREFIX + phone : phone);
  }

  /** Which conversation a phone-keyed request names, and how to say it is unknown. */
  private record Target(String conversationId, String phone) {

    Throwable notFound(Throwable failure) {
      if (phone != null && failure instanceof BatonException known && known.error() == BatonError.NOT_FOUND) {
        return BatonException.notFound("No conversation found for phone number " + phone);
      }
      return failure;
    }
  }

  private Future<Target> target(String tenant, JsonObject body) {
    String conversationId = body.getString("conversation_id");
    if (conversationId != null && !conversationId.isBlank()) {
      return Future.succeededFuture(new Target(conversationId, null));
    }
    String phone = phone(body.getString("phone"));
    return conversationOfPhone(tenant, phone).map(id -> new Target(id, phone));
  }

  /** The conversation key of a phone number: its digits, without a leading {@code +}. */
  static String phone(String text) {
    if (text == null || text.isBlank()) {
      throw new BatonException(BatonError.BAD_REQUEST, "Phone number is required");
    }
    String trimmed = text.strip();
    String digits = trimmed.startsWith("+") ? trimmed.substring(1) : trimmed;
    if (!PHONE.matcher(digits).matches()) {
      throw BatonException.unprocessable(
          "phone must be the number's digits with the country code (a leading + is allowed), not '" + text + "'");
    }
    return digits;
  }

  private String messageId(String given) {
    return given != null && !given.isBlank() ? given : "msg-" + ids.next().substring("ho-".length());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
