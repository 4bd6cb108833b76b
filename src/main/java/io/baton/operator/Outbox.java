package io.baton.operator;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * Where messages for the customer's channel go (the outbound capability). A message is prepared
 * before it is stored, so that a crash between the two cannot leave it stored and never sent, and so
 * that a send the channel's rules forbid is refused before anything is stored.
 */
public interface Outbox {

  /** What {@link #prepare} did: {@code queued} when a send was written, due at {@code hold} unless claimed before. */
  record Prepared(boolean queued, Instant hold) {
    public static final Prepared NOTHING = new Prepared(false, null);
  }

  /**
   * Checks that the message may go out on its conversation's channel and writes its send, or fails
   * with UNPROCESSABLE (the channel's window forbids it). {@link Prepared#NOTHING} when the
   * conversation has no channel to send through (or the send was already written).
   * {@code human}: the sender is a person (an agent), not an automation.
   */
  Future<Prepared> prepare(String tenant, ConversationMessage message, boolean human);

  /** The message is stored ({@code created}) or was there already: send it now, or forget the send prepared. */
  void stored(String tenant, ConversationMessage message, boolean created, Prepared prepared);

  /** Sends nothing: for stores and tests without channels. */
  Outbox NONE = new Outbox() {
    @Override
    public Future<Prepared> prepare(String tenant, ConversationMessage message, boolean human) {
      return Future.succeededFuture(Prepared.NOTHING);
    }

    @Override
    public void stored(String tenant, ConversationMessage message, boolean created, Prepared prepared) {
    }
  };
}
