package io.baton.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the relay and stream replays rely on, for every event feed. */
@Timeout(60)
public abstract class EventFeedContract {

  protected abstract EventFeed feed();

  /** Appends and commits one event, the way a store does. */
  protected abstract Event append(Event event);

  /** Times in microseconds, as PostgreSQL keeps them. */
  protected static Event event(String handoffId, Instant at) {
    return Event.of(EventTypes.HANDOFF_CREATED, handoffId, "conv-" + handoffId, "general_support", null,
        new JsonObject().put("n", 1), at.truncatedTo(ChronoUnit.MICROS));
  }

  protected static String handoff() {
    return "ho-" + UUID.randomUUID();
  }

  private static List<Long> ids(List<Event> events) {
    return events.stream().map(Event::id).toList();
  }

  @Test
  void startsAfterTheNewestEventAndReturnsLaterOnesInIdOrder() {
    Event before = append(event(handoff(), Instant.now()));
    long head = Await.result(feed().start());
    Event a = append(event(handoff(), Instant.now()));
    Event b = append(event(handoff(), Instant.now()));
    Event c = append(event(handoff(), Instant.now()));

    assertThat(head).isGreaterThanOrEqualTo(before.id());
    assertThat(ids(Await.result(feed().next(10)))).containsExactly(a.id(), b.id(), c.id());
    assertThat(Await.result(feed().next(10))).isEmpty();
  }

  @Test
  void nextReturnsAtMostItsLimitAndContinuesWhereItStopped() {
    Await.result(feed().start());
    List<Long> appended = java.util.stream.IntStream.range(0, 5)
        .mapToObj(i -> append(event(handoff(), Instant.now())).id()).toList();

    List<Event> first = Await.result(feed().next(2));
    List<Event> rest = Await.result(feed().next(10));

    assertThat(ids(first)).containsExactlyElementsOf(appended.subList(0, 2));
    assertThat(ids(rest)).containsExactlyElementsOf(appended.subList(2, 5));
  }

  @Test
  void readServesARangeOfTheLogAndOneHandoffsPart() {
    String h1 = handoff();
    Event a = append(event(h1, Instant.now()));
    Event b = append(event(handoff(), Instant.now()));
    Event c = append(event(h1, Instant.now()));

    assertThat(ids(Await.result(feed().read(a.id() - 1, c.id(), null, 10)))).containsExactly(a.id(), b.id(), c.id());
    assertThat(ids(Await.result(feed().read(a.id() - 1, b.id(), null, 10)))).containsExactly(a.id(), b.id());
    assertThat(ids(Await.result(feed().read(a.id() - 1, c.id(), null, 2)))).containsExactly(a.id(), b.id());
    assertThat(ids(Await.result(feed().read(a.id() - 1, c.id(), h1, 10)))).containsExactly(a.id(), c.id());
    assertThat(Await.result(feed().read(c.id(), c.id(), null, 10))).isEmpty();
    Event read = Await.result(feed().read(b.id() - 1, b.id(), null, 1)).getFirst();
    assertThat(read.toJson()).isEqualTo(b.toJson());
  }

  @Test
  void pruningRemovesEventsOlderThanTheCutoffAndRaisesTheWatermark() {
    Instant now = Instant.now();
    Event old = append(event(handoff(), now.minus(Duration.ofDays(9))));
    Event older = append(event(handoff(), now.minus(Duration.ofDays(8))));
    Event recent = append(event(handoff(), now));

    int removed = Await.result(feed().prune(now.minus(Duration.ofDays(7)), recent.id(), 1_000));

    assertThat(removed).isGreaterThanOrEqualTo(2);
    assertThat(Await.result(feed().prunedThrough())).isGreaterThanOrEqualTo(older.id());
    assertThat(ids(Await.result(feed().read(old.id() - 1, recent.id(), null, 10)))).containsExactly(recent.id());
  }
}
