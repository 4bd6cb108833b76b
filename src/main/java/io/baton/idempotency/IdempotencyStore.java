package io.baton.idempotency;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Idempotency-Key records. A request claims its key for a short lease; when it succeeds its answer
 * is kept until the key expires and replayed to every retry with the same body. A failed request
 * releases the key so that the retry runs again. Both implementations pass one contract suite.
 */
public interface IdempotencyStore {

  /** What a claim found. */
  sealed interface Claim {
    /** The key is this request's now: run it, then {@code complete} or {@code release}. */
    record Claimed() implements Claim {
    }

    /** Another request holds the key and has not finished. */
    record Running() implements Claim {
    }

    /** The key was used with another body. */
    record Mismatch() implements Claim {
    }

    /** The key's first answer, to replay. */
    record Completed(int status, JsonObject response) implements Claim {
    }
  }

  /**
   * Claims {@code key} in {@code scope} for a request whose body hashes to {@code requestHash}.
   * A running claim whose lease ended (its instance died) may be taken over by the same body; an
   * expired record is replaced by any body.
   */
  Future<Claim> claim(String scope, String key, String requestHash, Instant now, Instant leaseUntil,
      Instant expiresAt);

  /** Records the answer of the request that holds the claim. */
  Future<Void> complete(String scope, String key, int status, JsonObject response);

  /** Gives the key back after a failed request. */
  Future<Void> release(String scope, String key);
}
