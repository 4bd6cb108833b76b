package io.baton.ingest;

import io.vertx.core.Future;
import java.util.List;

/** Where new (deduplicated) customer messages go; it succeeds once they are durable. */
public interface MessageSink {

  /** Messages of one conversation, in order: all of them are durable when this succeeds. */
  Future<Void> acceptAll(List<InboundMessage> conversation);
}
