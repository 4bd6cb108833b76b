package io.baton.idempotency;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Idempotency keys in PostgreSQL. The claim is one statement: concurrent claims of a key queue on
 * its row, and exactly one of them sees its insert or takeover succeed.
 */
public final class PgIdempotencyStore implements IdempotencyStore {

  static final String CLAIM = """
      INSERT INTO idempotency_keys AS k (scope, key, request_hash, state, locked_until, expires_at)
      VALUES ($1, $2, $3, 'running', $5, $6)
      ON CONFLICT (scope, key) DO UPDATE
        SET request_hash = EXCLUDED.request_hash, state = 'running', status = NULL, response = NULL,
            locked_until = EXCLUDED.locked_until, expires_at = EXCLUDED.expires_at
        WHERE k.expires_at <= $4
           OR (k.state = 'running' AND k.locked_until <= $4 AND k.request_hash = EXCLUDED.request_hash)
      RETURNING 1""";

  static final String CURRENT =
      "SELECT request_hash, state, status, response FROM idempotency_keys WHERE scope = $1 AND key = $2";

  static final String COMPLETE = """
      UPDATE idempotency_keys SET state = 'completed', status = $3, response = $4
      WHERE scope = $1 AND key = $2""";

  static final String RELEASE = "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND state = 'running'";

  static final String PURGE_EXPIRED = "DELETE FROM idempotency_keys WHERE expires_at <= $1";

  private final Pool pool;

  public PgIdempotencyStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Claim> claim(String scope, String key, String requestHash, Instant now, Instant leaseUntil,
      Instant expiresAt) {
    Tuple params = Tuple.of(scope, key, requestHash, utc(now), utc(leaseUntil), utc(expiresAt));
    return pool.preparedQuery(CLAIM).execute(params).compose(claimed -> {
      if (claimed.rowCount() == 1) {
        return Future.succeededFuture(new Claim.Claimed());
      }
      return pool.preparedQuery(CURRENT).execute(Tuple.of(scope, key))
          .map(rows -> rows.size() == 0 ? new Claim.Running() : classify(rows.iterator().next(), requestHash));
    });
  }

  private static Claim classify(Row row, String requestHash) {
    if (!requestHash.equals(row.getString("request_hash"))) {
      return new Claim.Mismatch();
    }
    if (!"completed".equals(row.getString("state"))) {
      return new Claim.Running();
    }
    return new Claim.Completed(row.getInteger("status"), (JsonObject) row.getValue("response"));
  }

  @Override
  public Future<Void> complete(String scope, String key, int status, JsonObject response) {
    return pool.preparedQuery(COMPLETE).execute(Tuple.of(scope, key, status, response)).mapEmpty();
  }

  @Override
  public Future<Void> release(String scope, String key) {
    return pool.preparedQuery(RELEASE).execute(Tuple.of(scope, key)).mapEmpty();
  }

  /** Deletes expired keys; answers how many. */
  public Future<Integer> purgeExpired(Instant now) {
    return pool.preparedQuery(PURGE_EXPIRED).execute(Tuple.of(utc(now))).map(rows -> rows.rowCount());
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
