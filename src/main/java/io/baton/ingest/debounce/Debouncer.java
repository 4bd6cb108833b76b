package io.baton.ingest.debounce;

import io.baton.ingest.InboundMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * Per-conversation debounce windows. A message opens or extends its conversation's window; a closed
 * window becomes a batch that exactly one claimer gets (across instances), under a lease: if the
 * claimer neither completes nor reschedules it before the lease ends, another claimer gets the same
 * batch, with the same id. A conversation has at most one claimed batch at a time, so its batches go
 * on in order; messages arriving meanwhile open the next window.
 */
public interface Debouncer {

  /**
   * A flushed window: {@code batchId} is stable across re-claims; {@code attempt} counts claims from 1;
   * {@code messagesJson} is {@code messages} as one JSON array, as the buffer held them, so that the
   * bot's request carries them without encoding them again.
   */
  record Batch(String batchId, String conversationKey, List<JsonObject> messages, int attempt, String messagesJson) {

    public Batch(String batchId, String conversationKey, List<JsonObject> messages, int attempt) {
      this(batchId, conversationKey, messages, attempt, new JsonArray(messages).encode());
    }

    /** The conversation the batch belongs to (its window key also names the tenant). */
    public String conversationId() {
      return messages.isEmpty() ? conversationKey : messages.getFirst().getString("conversation_key", conversationKey);
    }

    /** The tenant of the batch's conversation. */
    public String tenant() {
      return messages.isEmpty() ? "default" : messages.getFirst().getString("tenant", "default");
    }

  }

  Future<Void> add(InboundMessage message);

  /**
   * Adds messages of any conversations, each conversation's in order, as if one after the other at
   * the same instant.
   */
  default Future<Void> addAll(List<InboundMessage> messages) {
    Future<Void> chain = Future.succeededFuture();
    for (InboundMessage message : messages) {
      chain = chain.compose(previous -> add(message));
    }
    return chain;
  }

  /** Claims up to {@code limit} batches whose window has closed (or whose lease has run out). */
  Future<List<Batch>> claimDue(int limit);

  /** The batch is done with: it is gone, and the conversation's next window may flush. */
  Future<Void> complete(Batch batch);

  /** {@link #complete} for each of these batches (of different conversations), in as few round trips as can be. */
  default Future<Void> completeAll(List<Batch> batches) {
    return Future.all(batches.stream().map(this::complete).toList()).mapEmpty();
  }

  /** The batch stays claimed but may be claimed again (same id) from {@code at}: a retry with backoff. */
  Future<Void> retryAt(Batch batch, Instant at);

  /** {@code active_buffers} (conversations with messages waiting) and {@code total_buffered}. */
  Future<JsonObject> stats();
}
