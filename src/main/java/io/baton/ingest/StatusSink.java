package io.baton.ingest;

import io.vertx.core.Future;

/**
 * Where a status that moved forward goes: the sent message's delivery status in its timeline. It
 * never fails: a lost report is superseded by the provider's next one, and the webhook is not failed
 * (and retried for days) for it.
 */
public interface StatusSink {

  Future<Void> applyStatus(String tenant, StatusUpdate status);
}
