package io.baton.ingest;

import io.vertx.core.Future;
import java.util.List;

/** Where claimed customer messages go; it succeeds once they are durable. */
public interface MessageSink {

  /**
   * A webhook's new messages, of any conversations, each conversation's in order: all of them are
   * durable when this succeeds, which answers those stored now for the first time (a repeat the
   * dedup cache had forgotten is not).
   */
  Future<List<InboundMessage>> acceptAll(List<InboundMessage> messages);
}
