package io.baton.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * How current this instance's relay is, for /ready and /metrics: when it last read the log
 * successfully, and how long each event took from creation to publication. Written by the relay on
 * its event loop, read from any thread.
 */
public final class RelayStatus {

  private final Clock clock;
  private final Consumer<Duration> delays;
  private volatile Instant lastRead;
  private volatile long published;

  /** {@code delays} receives every published event's creation-to-publication delay. */
  public RelayStatus(Clock clock, Consumer<Duration> delays) {
    this.clock = clock;
    this.delays = delays;
    this.lastRead = clock.instant();
  }

  void read() {
    lastRead = clock.instant();
  }

  void published(Event event) {
    published = event.id();
    if (event.at() != null) {
      delays.accept(Duration.between(event.at(), clock.instant()));
    }
  }

  /**
   * How far behind the log the relay may be: the time since it last read the log. A healthy relay
   * reads at least every events.poll_ms, so this stays near that; a relay that cannot read the log
   * (database gone, a stuck poll) lets it grow, and streams on this instance get nothing new.
   */
  public Duration lag() {
    Duration lag = Duration.between(lastRead, clock.instant());
    return lag.isNegative() ? Duration.ZERO : lag;
  }

  /** The id of the last event published by the relay. */
  public long published() {
    return published;
  }
}
