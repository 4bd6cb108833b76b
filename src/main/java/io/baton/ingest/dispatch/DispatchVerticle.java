package io.baton.ingest.dispatch;

import io.baton.config.BatonConfig.BotConfig;
import io.baton.ingest.debounce.Debouncer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flushes closed debounce windows: every {@code sweepInterval} it claims up to {@link #BATCHES_PER_SWEEP}
 * batches and dispatches them; the next sweep is scheduled when this one is done, so sweeps never pile up.
 */
public final class DispatchVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DispatchVerticle.class);
  static final int BATCHES_PER_SWEEP = 100;
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
  private volatile boolean stopped;
  /** The sweep running now, if any: a stop lets it finish (bounded) before closing the client. */
  private volatile Future<Void> running = Future.succeededFuture();

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
        // A bounded wait queue: a sweep dispatches at most BATCHES_PER_SWEEP batches anyway.
        new PoolOptions().setHttp1MaxSize(32).setMaxWaitQueueSize(BATCHES_PER_SWEEP * 4));
    dispatcher = new Dispatcher(debouncer, vertx.eventBus(), client, bot, stats, clock, busTimeout);
    schedule();
    return Future.succeededFuture();
  }

  private void schedule() {
    if (!stopped) {
      timer = vertx.setTimer(sweepInterval.toMillis(), id -> {
        running = sweep();
        running.onComplete(done -> schedule());
      });
    }
  }

  Future<Void> sweep() {
    return debouncer.claimDue(BATCHES_PER_SWEEP)
        .compose(batches -> Future.join(batches.stream().map(dispatcher::dispatch).toList()).<Void>mapEmpty())
        .recover(failure -> {
          LOG.warn("Debounce sweep failed; the next one retries", failure);
          return Future.succeededFuture();
        });
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
    return running
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
