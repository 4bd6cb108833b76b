package io.baton.ingest;

import io.vertx.core.Future;
import io.baton.storage.GroupCommit;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Dedup in postgres mode: the cache (Redis or memory) turns most duplicates away cheaply, and a
 * unique key (channel, provider message id) decides for good, so a duplicate is never processed
 * twice even after the cache forgot it. Receipts are group-committed: a webhook's messages, and
 * other webhooks arriving meanwhile, share one commit.
 */
public final class PgDedup implements Dedup {

  static final String INSERT = """
      INSERT INTO ingest_receipts (channel, provider_message_id, received_at) VALUES ($1, $2, $3)
      ON CONFLICT (channel, provider_message_id) DO NOTHING""";
  static final String DELETE = "DELETE FROM ingest_receipts WHERE channel = $1 AND provider_message_id = $2";

  /** Receipt transactions that may run at once. */
  static final int RECEIPT_BATCHES = 2;

  private final Dedup cache;
  private final Pool pool;
  private final GroupCommit receipts;
  private final Clock clock;

  public PgDedup(Dedup cache, Pool pool, Clock clock) {
    this.cache = cache;
    this.pool = pool;
    this.receipts = new GroupCommit(pool, INSERT, RECEIPT_BATCHES);
    this.clock = clock;
  }

  @Override
  public Future<Boolean> claim(String channel, String providerMessageId, Duration ttl) {
    return cache.claim(channel, providerMessageId, ttl).compose(first -> !first
        ? Future.succeededFuture(false)
        : receipts.submit(channel + ":" + providerMessageId,
                List.of(Tuple.of(channel, providerMessageId, clock.instant().atOffset(ZoneOffset.UTC))))
            .map(rows -> rows.getFirst().rowCount() == 1)
            .recover(failure -> cache.release(channel, providerMessageId)
                .transform(released -> Future.failedFuture(failure))));
  }

  @Override
  public Future<Void> release(String channel, String providerMessageId) {
    return cache.release(channel, providerMessageId)
        .compose(released -> pool.preparedQuery(DELETE).execute(Tuple.of(channel, providerMessageId)).mapEmpty());
  }

  @Override
  public String cacheType() {
    return cache.cacheType();
  }
}
