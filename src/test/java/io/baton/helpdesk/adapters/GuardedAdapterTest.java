package io.baton.helpdesk.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.config.BatonConfig.BreakerConfig;
import io.baton.config.BatonConfig.ZendeskConfig;
import io.baton.handoff.Priority;
import io.baton.support.Await;
import io.baton.support.FakeHelpdesk;
import io.baton.support.FakeHelpdesk.Flavour;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The circuit breaker around an external helpdesk, against a real HTTP server. */
@Timeout(30)
class GuardedAdapterTest {

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx);
  private final List<JsonObject> stateChanges = new CopyOnWriteArrayList<>();
  private FakeHelpdesk zendesk;

  @BeforeEach
  void start() {
    zendesk = FakeHelpdesk.start(vertx, Flavour.ZENDESK);
    vertx.eventBus().<JsonObject>consumer(GuardedAdapter.STATE_CHANGED, m -> stateChanges.add(m.body()));
  }

  @AfterEach
  void close() {
    zendesk.close();
    client.close();
    Await.result(vertx.close());
  }

  private GuardedAdapter guarded(int threshold, long callTimeoutMs, long resetMs) {
    ZendeskAdapter inner = new ZendeskAdapter(client, new ZendeskConfig(zendesk.baseUrl(), "a@b", "t"),
        Duration.ofMillis(callTimeoutMs));
    return new GuardedAdapter(vertx, inner, new BreakerConfig(Duration.ofMillis(callTimeoutMs), threshold,
        Duration.ofSeconds(10), Duration.ofMillis(resetMs)), Clock.systemUTC());
  }

  private static Future<?> call(GuardedAdapter adapter, String handoffId) {
    return adapter.open(ExternalAdaptersTest.request(handoffId, Priority.HIGH, false));
  }

  private static void awaitState(GuardedAdapter adapter, String state) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!adapter.state().equals(state)) {
      assertThat(System.nanoTime()).as("breaker becomes " + state).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  @Test
  void failuresOverTheThresholdOpenItAndThenCallsFailWithoutReachingTheHelpdesk() {
    GuardedAdapter adapter = guarded(3, 2_000, 60_000);
    zendesk.down(true);
    for (int i = 0; i < 3; i++) {
      Await.failure(call(adapter, "ho-" + i));
    }

    Throwable cutOff = Await.failure(call(adapter, "ho-x"));

    assertThat(adapter.state()).isEqualTo("open");
    assertThat(cutOff).hasMessage("zendesk is cut off by its circuit breaker");
    assertThat(zendesk.received()).hasSize(3);
    awaitChanges(1);
    assertThat(stateChanges.getFirst().getString("state")).isEqualTo("open");
    assertThat(stateChanges.getFirst().getString("helpdesk")).isEqualTo("zendesk");
  }

  @Test
  void aRequestTheHelpdeskRefusesAsWrongDoesNotCount() {
    GuardedAdapter adapter = guarded(2, 2_000, 60_000);
    zendesk.answerNext(5, 422, Map.of());

    for (int i = 0; i < 5; i++) {
      Throwable refused = Await.failure(call(adapter, "ho-" + i));
      assertThat(refused).isInstanceOf(HelpdeskCallFailed.class).hasMessage("Zendesk answered 422");
    }

    assertThat(adapter.state()).isEqualTo("closed");
    assertThat(Await.result(adapter.open(ExternalAdaptersTest.request("ho-ok", Priority.LOW, false))).ticketId())
        .isEqualTo("1000");
  }

  @Test
  void rateLimitingCountsAndCarriesRetryAfter() {
    GuardedAdapter adapter = guarded(2, 2_000, 60_000);
    zendesk.answerNext(2, 429, Map.of("Retry-After", "30"));

    HelpdeskCallFailed limited = (HelpdeskCallFailed) Await.failure(call(adapter, "ho-1"));
    Await.failure(call(adapter, "ho-2"));

    assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(adapter.state()).isEqualTo("open");
  }

  @Test
  void aCallThatTakesTooLongCountsAsAFailure() {
    GuardedAdapter adapter = guarded(1, 200, 60_000);
    zendesk.delay(1_000);

    Throwable slow = Await.failure(call(adapter, "ho-slow"));

    assertThat(slow).isInstanceOf(HelpdeskCallFailed.class);
    assertThat(adapter.state()).isEqualTo("open");
  }

  @Test
  void afterTheResetTimeoutOneProbeGoesThroughAndItsSuccessClosesTheBreaker() {
    GuardedAdapter adapter = guarded(1, 2_000, 300);
    zendesk.down(true);
    Await.failure(call(adapter, "ho-0"));
    assertThat(adapter.state()).isEqualTo("open");
    zendesk.down(false).delay(300);
    awaitState(adapter, "half_open");

    List<Future<?>> calls = IntStream.range(0, 4).<Future<?>>mapToObj(i -> call(adapter, "ho-probe-" + i)).toList();
    Await.result(Future.join(calls).otherwiseEmpty());

    assertThat(calls.stream().filter(Future::succeeded)).hasSize(1);
    // The failed call that opened the breaker, then the one probe.
    assertThat(zendesk.received()).hasSize(2);
    assertThat(adapter.state()).isEqualTo("closed");
    awaitChanges(3);
    assertThat(stateChanges).extracting(c -> c.getString("state")).containsExactly("open", "half_open", "closed");
  }

  private void awaitChanges(int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (stateChanges.size() < count) {
      assertThat(System.nanoTime()).as(count + " state changes").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
