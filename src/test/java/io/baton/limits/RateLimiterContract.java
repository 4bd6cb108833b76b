package io.baton.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.config.BatonConfig.Quota;
import io.baton.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every {@link RateLimiter} promises, run against each implementation. */
@Timeout(60)
public abstract class RateLimiterContract {

  protected Vertx vertx;

  /** A limiter; two calls give two limiters over the same buckets where the implementation shares them. */
  protected abstract RateLimiter limiter();

  /** Lets {@code time} pass for the limiter's clock. */
  protected abstract void elapse(Duration time);

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  private static String bucket() {
    return "api:ip:" + UUID.randomUUID();
  }

  @Test
  void aFullBucketPassesItsQuotaThenRefusesWithRetryAfter() {
    RateLimiter limiter = limiter();
    String bucket = bucket();
    Quota quota = new Quota(3, Duration.ofSeconds(60));

    List<RateDecision> decisions = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      decisions.add(Await.result(limiter.acquire(bucket, quota)));
    }

    assertThat(decisions).extracting(RateDecision::allowed).containsExactly(true, true, true, false);
    assertThat(decisions).extracting(RateDecision::remaining).containsExactly(2L, 1L, 0L, 0L);
    // One request comes back every 20 s; the bucket is full again 60 s after it was emptied.
    assertThat(decisions.get(3).retryAfterSeconds()).isBetween(19L, 20L);
    assertThat(decisions.get(3).resetSeconds()).isBetween(59L, 60L);
    assertThat(decisions.get(0).retryAfterSeconds()).isZero();
  }

  @Test
  void bucketsAreIndependent() {
    RateLimiter limiter = limiter();
    Quota quota = new Quota(1, Duration.ofSeconds(60));
    String first = bucket();

    assertThat(Await.result(limiter.acquire(first, quota)).allowed()).isTrue();
    assertThat(Await.result(limiter.acquire(first, quota)).allowed()).isFalse();
    assertThat(Await.result(limiter.acquire(bucket(), quota)).allowed()).isTrue();
  }

  @Test
  void anEmptiedBucketRefillsEvenlyOverItsWindow() {
    RateLimiter limiter = limiter();
    String bucket = bucket();
    // 2 requests per second: one back every 500 ms.
    Quota quota = new Quota(2, Duration.ofSeconds(1));
    Await.result(limiter.acquire(bucket, quota));
    Await.result(limiter.acquire(bucket, quota));
    assertThat(Await.result(limiter.acquire(bucket, quota)).allowed()).isFalse();

    elapse(Duration.ofMillis(650));

    assertThat(Await.result(limiter.acquire(bucket, quota)).allowed()).isTrue();
    assertThat(Await.result(limiter.acquire(bucket, quota)).allowed()).isFalse();
  }

  @Test
  void aChangedQuotaStartsAFullBucket() {
    RateLimiter limiter = limiter();
    String bucket = bucket();
    Await.result(limiter.acquire(bucket, new Quota(1, Duration.ofSeconds(60))));
    assertThat(Await.result(limiter.acquire(bucket, new Quota(1, Duration.ofSeconds(60)))).allowed()).isFalse();

    RateDecision raised = Await.result(limiter.acquire(bucket, new Quota(5, Duration.ofSeconds(60))));

    assertThat(raised.allowed()).isTrue();
    assertThat(raised.remaining()).isEqualTo(4);
  }

  @Test
  void manyConcurrentRequestsOnTwoLimitersGetExactlyTheQuota() {
    RateLimiter one = limiter();
    RateLimiter two = limiter();
    String bucket = bucket();
    Quota quota = new Quota(25, Duration.ofSeconds(600));

    List<Future<RateDecision>> all = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    List<Future<RateDecision>> shared = java.util.Collections.synchronizedList(all);
    for (int t = 0; t < 4; t++) {
      RateLimiter limiter = t % 2 == 0 ? one : two;
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 50; i++) {
          shared.add(limiter.acquire(bucket, quota));
        }
      });
      threads.add(thread);
      thread.start();
    }
    threads.forEach(thread -> {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Await.result(Future.join(List.copyOf(shared)));

    long passed = shared.stream().filter(f -> f.result().allowed()).count();
    assertThat(shared).hasSize(200);
    assertThat(passed).isEqualTo(25);
  }
}
