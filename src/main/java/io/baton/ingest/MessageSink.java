package io.baton.ingest;

import io.vertx.core.Future;

/** Where a new (deduplicated) customer message goes; it succeeds once the message is durable. */
public interface MessageSink {

  Future<Void> accept(InboundMessage message);
}
