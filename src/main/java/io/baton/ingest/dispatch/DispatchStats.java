package io.baton.ingest.dispatch;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of batch dispatch, for /stats. */
public final class DispatchStats {

  public final AtomicLong batches = new AtomicLong();
  public final AtomicLong toBot = new AtomicLong();
  public final AtomicLong toAgents = new AtomicLong();
  public final AtomicLong handoffsCreated = new AtomicLong();
  public final AtomicLong botFailures = new AtomicLong();
  public final AtomicLong retriesScheduled = new AtomicLong();
  public final AtomicLong givenUp = new AtomicLong();
  public final AtomicLong noBot = new AtomicLong();

  public JsonObject toJson() {
    return new JsonObject()
        .put("batches", batches.get())
        .put("to_bot", toBot.get())
        .put("to_agents", toAgents.get())
        .put("handoffs_created", handoffsCreated.get())
        .put("bot_failures", botFailures.get())
        .put("retries_scheduled", retriesScheduled.get())
        .put("given_up", givenUp.get())
        .put("no_bot", noBot.get());
  }
}
