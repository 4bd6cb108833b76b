package io.baton.ingest;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of the ingest path, shared by the process's ingest verticles; read by GET /stats. */
public final class IngestStats {

  public final AtomicLong webhooks = new AtomicLong();
  public final AtomicLong invalidSignatures = new AtomicLong();
  public final AtomicLong unparseable = new AtomicLong();
  public final AtomicLong messages = new AtomicLong();
  public final AtomicLong statuses = new AtomicLong();
  public final AtomicLong staleStatuses = new AtomicLong();
  public final AtomicLong unsupported = new AtomicLong();
  public final AtomicLong echoes = new AtomicLong();
  public final AtomicLong foreignAccount = new AtomicLong();
  public final AtomicLong deduplicated = new AtomicLong();
  /** Stored messages buffered for the bot by the sweeper, not by their webhook (see Rebuffer). */
  public final AtomicLong rebuffered = new AtomicLong();

  public JsonObject toJson() {
    return new JsonObject()
        .put("webhooks", webhooks.get())
        .put("invalid_signatures", invalidSignatures.get())
        .put("unparseable", unparseable.get())
        .put("messages", messages.get())
        .put("statuses", statuses.get())
        .put("stale_statuses", staleStatuses.get())
        .put("unsupported", unsupported.get())
        .put("echoes", echoes.get())
        .put("foreign_account", foreignAccount.get())
        .put("rebuffered", rebuffered.get());
  }
}
