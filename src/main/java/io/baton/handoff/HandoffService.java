package io.baton.handoff;

import io.baton.ops.LogIds;
import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.config.BatonConfig.HandoffConfig;
import io.baton.handoff.routing.Router;
import io.baton.handoff.routing.RoutingDecision;
import io.baton.handoff.routing.RoutingInput;
import io.baton.handoff.triggers.TriggerEngine;
import io.baton.handoff.triggers.TriggerResult;
import io.baton.handoff.triggers.TriggerType;
import io.baton.idempotency.IdempotencyStore;
import io.baton.idempotency.IdempotencyStore.Claim;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Check and create: triggers decide whether a human should take over and how urgent it is,
 * routing decides where the handoff goes, the store keeps it. Bodies arrive already validated
 * against the contract; what the schema cannot say (priority names, speakers) is checked here.
 */
public final class HandoffService {

  private static final Logger LOG = LoggerFactory.getLogger(HandoffService.class);
  static final String IDEMPOTENCY_SCOPE = "handoff.create";

  private final HandoffStore store;
  private final IdempotencyStore idempotency;
  private final TriggerEngine triggers;
  private final Router router;
  private final HandoffConfig config;
  private final Clock clock;
  private final HandoffIds ids;
  private final TicketOpener tickets;
  private final QueueStanding standing;

  public HandoffService(HandoffStore store, IdempotencyStore idempotency, TriggerEngine triggers, Router router,
      HandoffConfig config, Clock clock, TicketOpener tickets, QueueStanding standing) {
    this.tickets = tickets;
    this.standing = standing;
    this.store = store;
    this.idempotency = idempotency;
    this.triggers = triggers;
    this.router = router;
    this.config = config;
    this.clock = clock;
    this.ids = new HandoffIds(clock);
  }

  /** The answer of {@code POST /api/v1/check}; no side effects. */
  public JsonObject check(JsonObject body) {
    List<ChatMessage> transcript = new ArrayList<>(transcript(body.getJsonArray("messages")));
    String current = body.getString("current_message");
    if (current != null && !current.isBlank()) {
      transcript.add(ChatMessage.user(current));
    }
    JsonObject metadata = body.getJsonObject("metadata", new JsonObject());
    Optional<TriggerResult> fired = triggers.evaluate(transcript, metadata, channel(metadata));
    Priority priority = fired.map(TriggerResult::suggestedPriority).orElse(Priority.MEDIUM);
    RoutingDecision route = route(transcript, metadata, priority, fired);
    return new JsonObject()
        .put("should_handoff", fired.isPresent())
        .put("trigger", fired.map(HandoffService::triggerJson).orElse(null))
        .put("suggested_priority", priority.atLeast(route.priorityFloor()).name())
        .put("assigned_queue", route.queue())
        .put("routing_rule", route.rule())
        .put("assigned_agent", route.agent());
  }

  /**
   * Creates a handoff, or answers the conversation's active one. With an idempotency key, a retry
   * with the same body replays the first answer.
   */
  public Future<JsonObject> create(String tenant, JsonObject body, String idempotencyKey) {
    if (idempotencyKey == null) {
      return createHandoff(tenant, body).map(Handoff::toJson).compose(json -> standing.addTo(tenant, json));
    }
    Instant now = clock.instant();
    String scope = idempotencyScope(tenant);
    return idempotency.claim(scope, idempotencyKey, sha256(body.encode()), now,
            now.plus(config.idempotencyLease()), now.plus(config.idempotencyTtl()))
        .compose(claim -> switch (claim) {
          case Claim.Claimed claimed -> createOnce(tenant, scope, body, idempotencyKey);
          case Claim.Completed done -> Future.succeededFuture(done.response());
          case Claim.Running running -> Future.failedFuture(new BatonException(BatonError.CONFLICT,
              "A request with this Idempotency-Key is still being processed; retry it shortly"));
          case Claim.Mismatch mismatch -> Future.failedFuture(BatonException.unprocessable(
              "This Idempotency-Key was already used with a different request body"));
        });
  }

  /** Two tenants' equal keys are different keys; the default tenant keeps the scope it always had. */
  private static String idempotencyScope(String tenant) {
    return "default".equals(tenant) ? IDEMPOTENCY_SCOPE : IDEMPOTENCY_SCOPE + "@" + tenant;
  }

  private Future<JsonObject> createOnce(String tenant, String scope, JsonObject body, String key) {
    // Through compose, so that a request refused while parsing also gives its key back.
    // The standing is part of the answer a replay repeats.
    return Future.succeededFuture(body).compose(b -> createHandoff(tenant, b))
        .map(Handoff::toJson)
        .compose(json -> standing.addTo(tenant, json))
        .compose(
            answer -> idempotency.complete(scope, key, 200, answer)
                // The handoff is kept either way; a retry after a lost record still finds the
                // conversation's active handoff, so the answer stands.
                .otherwise(failure -> {
                  LOG.warn("Could not record the answer of Idempotency-Key {}", key, failure);
                  return null;
                })
                .map(answer),
            failure -> idempotency.release(scope, key)
                .transform(released -> Future.failedFuture(failure)));
  }

  private Future<Handoff> createHandoff(String tenant, JsonObject body) {
    refuseNul(body, "");
    List<ChatMessage> transcript = transcript(body.getJsonArray("messages"));
    JsonObject metadata = body.getJsonObject("metadata", new JsonObject());
    String kind = body.getString("kind", Handoff.KIND_HANDOFF);
    if (Handoff.KIND_APPROVAL.equals(kind)) {
      metadata = approvalMetadata(body, metadata);
    }
    Priority requested = priority(body.getString("priority"));
    Optional<TriggerResult> fired = body.getBoolean("skip_triggers", false)
        ? Optional.empty()
        : triggers.evaluate(transcript, metadata, channel(metadata));
    Priority priority = requested.atLeast(fired.map(TriggerResult::suggestedPriority).orElse(null));
    RoutingDecision route = route(transcript, metadata, priority, fired);

    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Handoff draft = new Handoff(
        ids.next(),
        body.getString("conversation_id"),
        body.getString("user_id"),
        kind,
        HandoffStatus.PENDING,
        priority.atLeast(route.priorityFloor()),
        route.queue(),
        route.rule(),
        route.agent(),
        null,
        null,
        fired.map(HandoffService::triggerJson).orElse(null),
        route.tags(),
        transcript,
        metadata,
        body.getJsonObject("context"),
        now,
        now,
        1);
    InlineTicket ticket = tickets.inline(draft).orElse(null);
    Handoff withTicket = ticket == null ? draft : draft.withNewTicket(ticket.ticketId(), ticket.ticketUrl());
    return store.createOrGetActive(tenant, withTicket, ticket).compose(outcome -> {
      Handoff handoff = outcome.handoff();
      // From here on, this create's log lines (and the commands it sends) name the handoff.
      LogIds.put(LogIds.HANDOFF_ID, handoff.id());
      if (outcome.created()) {
        LOG.info("Created handoff {} for conversation {} in queue {} ({})", handoff.id(), handoff.conversationId(),
            handoff.queue(), handoff.priority());
      }
      return withTicket(tenant, handoff, !outcome.created());
    });
  }

  /**
   * An active handoff without a ticket gets one now (also the conversation's active handoff that a
   * repeated create answers, so a client's retry retries the ticket). The handoff is durable
   * already: when the helpdesk fails, does not answer within the sync timeout or is cut off by its
   * breaker, the answer is 502 naming the handoff, and the helpdesk capability retries the ticket.
   */
  private Future<Handoff> withTicket(String tenant, Handoff handoff, boolean lookupFirst) {
    if (handoff.ticketId() != null || !handoff.status().isActive()) {
      return Future.succeededFuture(handoff);
    }
    return tickets.open(tenant, handoff, lookupFirst)
        .recover(failure -> {
          String reason = failure instanceof BatonException known ? known.detail() : "the helpdesk failed";
          String ticketStatus = failure instanceof BatonException known
              ? known.extensions().getString("ticket_status", "retrying") : "retrying";
          LOG.warn("No helpdesk ticket for handoff {}: {}", handoff.id(), reason, failure);
          return Future.failedFuture(new BatonException(BatonError.UPSTREAM_FAILED,
              "The handoff " + handoff.id() + " was created, but its helpdesk ticket was not: " + reason,
              new JsonObject().put("handoff_id", handoff.id()).put("ticket_status", ticketStatus)
                  .put("handoff", handoff.toJson())));
        })
        // The helpdesk capability recorded the ticket on the handoff: answer it as stored.
        .compose(ref -> store.get(tenant, handoff.id()))
        .map(found -> found.orElse(handoff));
  }

  /** An approval's question and options, kept in metadata.approval (the create statement's columns stay as they are). */
  private static JsonObject approvalMetadata(JsonObject body, JsonObject metadata) {
    String question = body.getString("question");
    if (question == null || question.isBlank()) {
      throw BatonException.unprocessable("question is required when kind is approval");
    }
    return metadata.copy().put("approval", new JsonObject()
        .put("question", question)
        .put("options", body.getJsonArray("options", new JsonArray())));
  }

  public Future<JsonObject> get(String tenant, String handoffId) {
    return store.get(tenant, handoffId)
        .map(found -> found.orElseThrow(() -> HandoffEvents.notFound(handoffId)).toJson())
        .compose(json -> standing.addTo(tenant, json));
  }

  public Future<JsonObject> list(String tenant, JsonObject params) {
    int pageSize = params.getInteger("page_size", HandoffQuery.DEFAULT_PAGE_SIZE);
    HandoffQuery query = new HandoffQuery(
        HandoffStatus.parse(params.getString("status")).orElse(null),
        params.getString("queue"),
        params.getString("agent_id"),
        params.getString("conversation_id"),
        params.getString("user_id"),
        params.getString("priority") == null ? null : priority(params.getString("priority")),
        Math.max(1, params.getInteger("page", 1)),
        Math.clamp(pageSize, 1, HandoffQuery.MAX_PAGE_SIZE));
    return store.list(tenant, query).map(HandoffPage::toJson);
  }

  public Future<JsonObject> cancel(String tenant, String handoffId) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    return store.cancel(tenant, handoffId, now).map(Handoff::toJson);
  }

  private RoutingDecision route(List<ChatMessage> transcript, JsonObject metadata, Priority priority,
      Optional<TriggerResult> fired) {
    TriggerType trigger = fired.map(TriggerResult::type).orElse(null);
    return router.route(new RoutingInput(transcript, metadata, priority, trigger, channel(metadata)));
  }

  private static String channel(JsonObject metadata) {
    return metadata.getValue("channel") instanceof String channel ? channel : null;
  }

  private static Priority priority(String text) {
    if (text == null) {
      return Priority.MEDIUM;
    }
    return Priority.parse(text).orElseThrow(() -> BatonException.unprocessable(
        "priority must be one of LOW, MEDIUM, HIGH, URGENT, CRITICAL (any case), not '" + text + "'"));
  }

  private static List<ChatMessage> transcript(JsonArray messages) {
    List<ChatMessage> transcript = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      JsonObject message = messages.getJsonObject(i);
      String speaker = message.getString("speaker");
      int index = i;
      transcript.add(new ChatMessage(
          Speaker.parse(speaker).orElseThrow(() -> BatonException.unprocessable(
              "messages[" + index + "].speaker must be user, ai (or assistant, bot), agent or system, not '"
                  + speaker + "'")),
          message.getString("content")));
    }
    return transcript;
  }

  /**
   * PostgreSQL cannot store a NUL character in text or jsonb. Refusing it here, in both storage
   * modes, makes it a clear 422 rather than a database error, and keeps the modes alike.
   */
  private static void refuseNul(Object value, String path) {
    switch (value) {
      case String text when text.indexOf('\u0000') >= 0 ->
          throw BatonException.unprocessable((path.isEmpty() ? "The request" : path) + " contains a NUL character");
      case JsonObject object -> object.forEach(entry -> refuseNul(entry.getValue(), path + "/" + entry.getKey()));
      case JsonArray array -> {
        for (int i = 0; i < array.size(); i++) {
          refuseNul(array.getValue(i), path + "/" + i);
        }
      }
      case null, default -> {
      }
    }
  }

  static JsonObject triggerJson(TriggerResult trigger) {
    return new JsonObject()
        .put("type", trigger.type().wireName())
        .put("confidence", trigger.confidence())
        .put("reason", trigger.reason())
        .put("matched", trigger.matched());
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
