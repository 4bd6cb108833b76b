package io.baton.idempotency;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Idempotency keys of the embedded mode. At most {@code capacity} keys are kept: expired keys go
 * first, and past the bound the oldest key is forgotten (its retry would then run again, which
 * for handoffs still answers the conversation's active handoff).
 */
public final class MemoryIdempotencyStore implements IdempotencyStore {

  private record Entry(String requestHash, boolean completed, int status, JsonObject response,
      Instant leaseUntil, Instant expiresAt) {
  }

  private final int capacity;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

  public MemoryIdempotencyStore(int capacity) {
    this.capacity = capacity;
  }

  @Override
  public synchronized Future<Claim> claim(String scope, String key, String requestHash, Instant now,
      Instant leaseUntil, Instant expiresAt) {
    String id = scope + '\u0000' + key;
    Entry existing = entries.get(id);
    boolean free = existing == null
        || !existing.expiresAt().isAfter(now)
        || (!existing.completed() && !existing.leaseUntil().isAfter(now)
            && existing.requestHash().equals(requestHash));
    if (free) {
      makeRoom(now);
      entries.remove(id);
      entries.put(id, new Entry(requestHash, false, 0, null, leaseUntil, expiresAt));
      return Future.succeededFuture(new Claim.Claimed());
    }
    if (!existing.requestHash().equals(requestHash)) {
      return Future.succeededFuture(new Claim.Mismatch());
    }
    if (!existing.completed()) {
      return Future.succeededFuture(new Claim.Running());
    }
    return Future.succeededFuture(new Claim.Completed(existing.status(), existing.response().copy()));
  }

  @Override
  public synchronized Future<Void> complete(String scope, String key, int status, JsonObject response) {
    entries.computeIfPresent(scope + '\u0000' + key,
        (id, e) -> new Entry(e.requestHash(), true, status, response.copy(), e.leaseUntil(), e.expiresAt()));
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> release(String scope, String key) {
    entries.remove(scope + '\u0000' + key);
    return Future.succeededFuture();
  }

  private void makeRoom(Instant now) {
    if (entries.size() < capacity) {
      return;
    }
    entries.values().removeIf(e -> !e.expiresAt().isAfter(now));
    Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
    while (entries.size() >= capacity && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }
}
