package io.baton.ingest.dispatch;

import io.baton.config.BatonConfig.BotConfig;
import io.baton.ingest.debounce.Debouncer;
import io.baton.ingest.debounce.Debouncer.Batch;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flushes closed debounce windows as a bounded pipeline: every {@code sweepInterval} it claims up to
 * {@link #BATCHES_PER_CLAIM} due batches and dispatches each at once, and claims again straight away
 * while a claim comes back full, so a backlog drains without waiting for the timer. At most
 * {@link #MAX_IN_FLIGHT} batches are being dispatched at a time: a slow bot holds only its own batches
 * back, not the next claim. Claims are small on purpose: a claim's messages are read and dispatched in
 * one go on this event loop, and webhook answers queued behind that work wait for it (bench/RESULTS.md).
 */
public final class DispatchVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DispatchVerticle.class);
  static final int BATCHES_PER_CLAIM = 20;
  static final int MAX_IN_FLIGHT = 200;
  private static final Duration MAX_STOP_WAIT = Duration.ofSeconds(10);

  private final Debouncer debouncer;
  private final BotConfig bot;
  private final DispatchStats stats;
  private final Clock clock;
  private final Duration sweepInterval;
  private final Duration busTimeout;
  private final Duration lease;
  private WebClient client;
  private Dispatcher dispatcher;
  private long timer = -1;
  private boolean stopped;
  private boolean claiming;
  private int inFlight;
  /** Completed when nothing is being dispatched any more after a stop. */
  private final Promise<Void> drained = Promise.promise();

  public DispatchVerticle(Debouncer debouncer, BotConfig bot, DispatchStats stats, Clock clock, Duration sweepInterval,
      Duration busTimeout, Duration lease) {
    this.lease = lease;
    this.debouncer = debouncer;
    this.bot = bot;
    this.stats = stats;
    this.clock = clock;
    this.sweepInterval = sweepInterval;
    this.busTimeout = busTimeout;
  }

  @Override
  public Future<?> start() {
    client = WebClient.create(vertx, new WebClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, bot.timeout().toMillis())),
        // A bounded wait queue: no more than MAX_IN_FLIGHT batches are sent at a time anyway.
        new PoolOptions().setHttp1MaxSize(32).setMaxWaitQueueSize(MAX_IN_FLIGHT));
    dispatcher = new Dispatcher(debouncer, vertx.eventBus(), client, bot, stats, clock, busTimeout, context);
    timer = vertx.setPeriodic(sweepInterval.toMillis(), id -> claim());
    return Future.succeededFuture();
  }

  /** Claims what is due, as far as the pipeline has room; one claim at a time (all on this event loop). */
  private void claim() {
    int room = Math.min(BATCHES_PER_CLAIM, MAX_IN_FLIGHT - inFlight);
    if (stopped || claiming || room <= 0) {
      return;
    }
    claiming = true;
    debouncer.claimDue(room).onComplete(claimed -> {
      claiming = false;
      if (claimed.failed()) {
        LOG.warn("Claiming due debounce batches failed; the next sweep retries", claimed.cause());
        return;
      }
      List<Batch> batches = claimed.result();
      inFlight += batches.size();
      dispatcher.dispatchAll(batches).forEach(batch -> batch.onComplete(done -> dispatched()));
      if (batches.size() == room) {
        // Full: more may be due.
        claim();
      }
    });
  }

  private void dispatched() {
    inFlight--;
    if (stopped && inFlight == 0) {
      drained.tryComplete();
    } else if (!stopped && inFlight == MAX_IN_FLIGHT - BATCHES_PER_CLAIM) {
      // The pipeline was full and has room again: a backlog should not wait for the timer.
      claim();
    }
  }

  /**
   * No new claims; the batches being sent get up to {@link #stopWait} to be answered and completed.
   * A batch still unanswered then keeps its lease, and another instance takes the same batch (same
   * webhook-id) when the lease ends: nothing claimed is lost, and the bot can tell a repeat.
   */
  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    if (inFlight == 0 && !claiming) {
      drained.tryComplete();
    }
    return drained.future()
        .timeout(stopWait().toMillis(), TimeUnit.MILLISECONDS)
        .recover(unfinished -> {
          LOG.info("Stopping with debounce batches still being sent; their leases let another instance take them");
          return Future.succeededFuture();
        })
        .eventually(() -> {
          client.close();
          return Future.succeededFuture();
        });
  }

  /** Waiting past the lease is pointless (another instance takes the batch then), as is past one attempt. */
  private Duration stopWait() {
    Duration wait = bot.timeout().compareTo(lease) < 0 ? bot.timeout() : lease;
    return wait.compareTo(MAX_STOP_WAIT) < 0 ? wait : MAX_STOP_WAIT;
  }
}
