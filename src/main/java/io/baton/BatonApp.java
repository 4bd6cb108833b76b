package io.baton;

import io.baton.api.HttpVerticle;
import io.baton.security.Gatekeeper;
import io.baton.security.HashKey;
import io.baton.api.StreamLimits;
import io.baton.config.BatonConfig;
import io.baton.config.BatonConfig.StorageMode;
import io.baton.downstream.DueWorkVerticle;
import io.baton.events.EventsVerticle;
import io.baton.handoff.HandoffService;
import io.baton.handoff.QueueStanding;
import io.baton.handoff.HandoffVerticle;
import io.baton.handoff.routing.Router;
import io.baton.helpdesk.BusTicketOpener;
import io.baton.helpdesk.HelpdeskVerticle;
import io.baton.helpdesk.TicketRetries;
import io.baton.helpdesk.adapters.BuiltinAdapter;
import io.baton.helpdesk.adapters.FreshdeskAdapter;
import io.baton.helpdesk.adapters.GuardedAdapter;
import io.baton.helpdesk.adapters.HelpdeskAdapter;
import io.baton.helpdesk.adapters.WebhookAdapter;
import io.baton.helpdesk.adapters.ZendeskAdapter;
import io.baton.config.BatonConfig.HelpdeskConfig;
import io.baton.config.BatonConfig.RateLimitsConfig;
import io.baton.api.HttpLimits;
import io.baton.limits.FallbackRateLimiter;
import io.baton.limits.MemoryRateLimiter;
import io.baton.limits.RateLimiter;
import io.baton.limits.RedisRateLimiter;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import io.baton.helpdesk.TicketService;
import io.baton.handoff.triggers.TriggerEngine;
import io.baton.ingest.Dedup;
import io.baton.ingest.IngestService;
import io.baton.ingest.IngestStats;
import io.baton.ingest.IngestVerticle;
import io.baton.ingest.MemoryDedup;
import io.baton.ingest.MemoryStatusTracker;
import io.baton.ingest.RedisDedup;
import io.baton.ingest.RedisStatusTracker;
import io.baton.ingest.StatusTracker;
import io.baton.ingest.BufferingSink;
import io.baton.ingest.TimelineSink;
import io.baton.ingest.Rebuffer;
import io.baton.ingest.MessageSink;
import io.baton.ingest.debounce.Debouncer;
import io.baton.ingest.debounce.MemoryDebouncer;
import io.baton.ingest.debounce.RedisDebouncer;
import io.baton.ingest.dispatch.DispatchStats;
import io.baton.ingest.dispatch.DispatchVerticle;
import io.baton.operator.AutoAssigner;
import io.baton.operator.EscalationPolicy;
import io.baton.operator.OperatorService;
import io.baton.operator.OperatorSweep;
import io.baton.operator.OperatorSweepVerticle;
import io.baton.operator.OperatorVerticle;
import io.baton.events.RelayStatus;
import io.baton.bus.LogIdHeaders;
import io.baton.ops.Breakers;
import io.baton.ops.LogFormat;
import io.baton.ops.Metrics;
import io.baton.ops.MetricsVerticle;
import io.baton.ops.ReadinessVerticle;
import io.baton.config.BatonConfig.OutboundConfig;
import io.baton.downstream.Breaker;
import io.baton.outbound.ChannelSender;
import io.baton.outbound.MessengerSender;
import io.baton.outbound.OutboundService;
import io.baton.outbound.OutboundStats;
import io.baton.outbound.TwitterSender;
import io.baton.outbound.WhatsAppSender;
import java.util.HashMap;
import java.util.Map;
import io.baton.storage.MemoryStorage;
import io.baton.storage.Migrations;
import io.baton.storage.PgStorage;
import io.baton.storage.RedisClients;
import io.baton.storage.Storage;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up: config → migrations (postgres mode) → domain verticles → HTTP. Stops gracefully on
 * SIGTERM: HTTP first (in-flight requests finish), then the capabilities, then the stores.
 */
public final class BatonApp {

  private static final Logger LOG = LoggerFactory.getLogger(BatonApp.class);
  /** Expired idempotency keys and early delivery statuses are purged this often; see {@link Storage#purgeExpired}. */
  private static final long PURGE_EVERY_MS = TimeUnit.HOURS.toMillis(1);
  private static final int SHUTDOWN_TIMEOUT_SECONDS = 30;
  /** Bounds of the embedded dedup and status memories. */
  private static final int INGEST_MEMORY_CAPACITY = 100_000;

  private final Vertx vertx;
  private final BatonConfig config;
  private final Clock clock;
  private final List<HttpVerticle> httpVerticles = new CopyOnWriteArrayList<>();
  private final StreamLimits streamLimits;
  private Storage storage;
  private Redis redis;
  private Debouncer debouncer;
  private TimelineSink timeline;
  private final DispatchStats dispatchStats = new DispatchStats();
  private final IngestStats ingestStats = new IngestStats();
  private final Metrics metrics;
  private final Breakers breakers;
  private final RelayStatus relay;
  private String httpDeployment;
  private WebClient webClient;
  private GuardedAdapter guarded;
  private OutboundService outbound;
  private final OutboundStats outboundStats = new OutboundStats();
  private Gatekeeper gatekeeper;

  /** Without HTTP meters: {@code vertx} was not built with {@link Metrics#vertx}. */
  public BatonApp(Vertx vertx, BatonConfig config, Clock clock) {
    this(vertx, config, clock, new Metrics());
  }

  /** {@code vertx} built by {@link Metrics#vertx} with the same {@code metrics}, for HTTP meters. */
  public BatonApp(Vertx vertx, BatonConfig config, Clock clock, Metrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    this.streamLimits = new StreamLimits(config.sse().maxStreams(), config.sse().maxStreamsPerClient());
    this.breakers = new Breakers(metrics);
    this.relay = new RelayStatus(clock, metrics::relayed);
    registerMeters();
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("hash-key")) {
      System.exit(HashKey.run(args, System.in, System.out, System.err));
    }
    Metrics metrics = new Metrics();
    Vertx vertx = Metrics.vertx(metrics);
    BatonConfig.load(vertx)
        .compose(config -> {
          LogFormat.apply(config.observability().jsonLogs(config.storage().mode()), config.observability().accessLog());
          BatonApp app = new BatonApp(vertx, config, Clock.systemUTC(), metrics);
          Runtime.getRuntime().addShutdownHook(new Thread(() -> app.stopAndWait(), "baton-shutdown"));
          return app.start();
        })
        .onSuccess(port -> LOG.info("Baton is listening on port {}", port))
        .onFailure(failure -> {
          LOG.error("Baton could not start: {}", failure.getMessage(), failure);
          // Exit from a thread of its own: the shutdown hook needs the event loop this runs on.
          new Thread(() -> System.exit(1), "baton-exit").start();
        });
  }

  /** Starts everything; answers the port HTTP listens on. */
  public Future<Integer> start() {
    config.unknownVariables().forEach(name ->
        LOG.warn("{} is set but names no setting of conf/baton.yaml; it is ignored", name));
    if (config.observability().readyMaxRelayLag().compareTo(config.events().poll().multipliedBy(2)) <= 0) {
      // The relay reads the log at least every events.poll_ms; a limit near that fails /ready between polls.
      LOG.warn("observability.ready_max_relay_lag_ms ({} ms) is not well above events.poll_ms ({} ms): /ready will"
          + " report the event relay as behind between polls", config.observability().readyMaxRelayLag().toMillis(),
          config.events().poll().toMillis());
    }
    LogIdHeaders.install(vertx.eventBus());
    TriggerEngine triggers = TriggerEngine.fromConfig(config.triggers());
    Router router = Router.fromConfig(config.routing());
    gatekeeper = Gatekeeper.create(vertx, config.security());
    if (gatekeeper.protectedMode()) {
      LOG.warn("PROTECTED MODE: no API key and no JWT setting is configured, so the API answers callers on this"
          + " machine only (others get 403). Configure security.api_keys or security.jwt to serve other hosts.");
    }
    return gatekeeper.start()
        .compose(keys -> openStorage())
        .compose(opened -> {
          storage = opened;
          TicketService tickets = new TicketService(storage.tickets(), clock);
          HelpdeskAdapter adapter = adapter(tickets);
          HandoffService handoffs = new HandoffService(storage.handoffs(), storage.idempotency(), triggers, router,
              config.handoff(), clock, new BusTicketOpener(vertx.eventBus(), config.helpdesk().syncTimeout(),
                  adapter instanceof BuiltinAdapter builtin ? builtin : null),
              new QueueStanding(vertx.eventBus(), config.http().busTimeout().dividedBy(4).toMillis()));
          // A nested create (conversation handoff requests) must answer before HTTP gives up.
          AutoAssigner autoAssigner = new AutoAssigner(storage.operator(), config.operator().autoAssign(), clock);
          OperatorService operator = new OperatorService(storage.operator(), vertx.eventBus(),
              config.http().busTimeout().multipliedBy(4).dividedBy(5), clock, autoAssigner,
              config.operator().waitEstimateHistory(), outboundService());
          OperatorSweep sweep = new OperatorSweep(storage.operator(),
              EscalationPolicy.from(config.operator().escalation()), config.operator().escalation().batchSize(),
              autoAssigner, clock);
          TicketRetries ticketRetries = new TicketRetries(storage.handoffs(), storage.ticketRetries(), adapter,
              config.helpdesk().retry(), config.helpdesk().breaker().callTimeout(), clock);
          Duration nestedTimeout = config.http().busTimeout().multipliedBy(4).dividedBy(5);
          OutboundService outbound = outboundService();
          IngestService ingest = ingestService(nestedTimeout);
          return Future.all(List.of(
              // One per core: verifying and parsing a 3 MB body is CPU work best spread over the loops.
              vertx.deployVerticle(() -> new IngestVerticle(ingest, nestedTimeout),
                  new DeploymentOptions().setInstances(config.http().effectiveInstances())),
              vertx.deployVerticle(new DispatchVerticle(debouncer, config.ingest().bot(), dispatchStats, clock,
                  config.ingest().debounce().sweepInterval(), nestedTimeout, config.ingest().debounce().lease())),
              vertx.deployVerticle(new DueWorkVerticle("re-buffering of stored messages awaiting the bot",
                  new Rebuffer(timeline, debouncer, ingestStats, config.ingest().rebuffer().after())::round,
                  config.ingest().rebuffer().every(), Rebuffer.MARKS_PER_ROUND)),
              // One instance per core, like HTTP: a create's work (triggers, routing, the store's
              // client side) would otherwise queue on a single event loop.
              vertx.deployVerticle(() -> new HandoffVerticle(handoffs),
                  new DeploymentOptions().setInstances(config.http().effectiveInstances())),
              vertx.deployVerticle(() -> new OperatorVerticle(operator),
                  new DeploymentOptions().setInstances(config.http().effectiveInstances())),
              vertx.deployVerticle(() -> new HelpdeskVerticle(tickets, ticketRetries),
                  new DeploymentOptions().setInstances(config.http().effectiveInstances())),
              vertx.deployVerticle(new DueWorkVerticle("ticket retries", ticketRetries::runDue,
                  GuardedAdapter.STATE_CHANGED, ticketRetries::recordBreakerState, config.helpdesk().retry().poll(),
                  config.helpdesk().retry().batchSize())),
              vertx.deployVerticle(new DueWorkVerticle("outbound sends", outboundService()::runDue,
                  OutboundService.BREAKER_CHANGED, outboundService()::recordBreakerState,
                  config.outbound().retry().poll(), config.outbound().retry().batchSize())),
              vertx.deployVerticle(new OperatorSweepVerticle(sweep, config.operator().escalation().sweepInterval())),
              vertx.deployVerticle(new ReadinessVerticle(storage, config.redis(), breakers, relay,
                  config.observability().readyMaxRelayLag())),
              vertx.deployVerticle(new MetricsVerticle(metrics, storage.operator(),
                  config.observability().queueSample(), clock)),
              // One relay per process: it follows the log and fans events out to every HTTP verticle.
              vertx.deployVerticle(new EventsVerticle(storage.eventFeed(), config.events(), clock, relay))));
        })
        .compose(domain -> {
          HttpLimits limits = HttpLimits.of(config, rateLimiter());
          gatekeeper.countingRefusalsIn(limits.limiter());
          return vertx.deployVerticle(() -> {
            HttpVerticle verticle = new HttpVerticle(config.http(), config.sse(), streamLimits, limits, gatekeeper);
            httpVerticles.add(verticle);
            return verticle;
          }, new DeploymentOptions().setInstances(config.http().effectiveInstances()));
        })
        .map(http -> {
          httpDeployment = http;
          vertx.setPeriodic(PURGE_EVERY_MS, id -> storage.purgeExpired(clock.instant())
              .onFailure(failure -> LOG.warn("Purging expired idempotency keys or early delivery statuses failed",
                  failure)));
          return httpVerticles.getFirst().actualPort();
        });
  }

  /**
   * Dedup and delivery statuses live in Redis when it is configured (shared by every instance), else
   * in this process's memory; in postgres mode a durable unique key backs the dedup.
   */
  private IngestService ingestService(Duration nestedTimeout) {
    if (config.redis().configured() && redis == null) {
      redis = RedisClients.create(vertx, config.redis());
    }
    // The cache turns most repeats away cheaply; the timeline's unique message id decides for good.
    Dedup dedup = redis != null ? new RedisDedup(redis, config.redis().timeout(), config.redis().keyPrefix())
        : new MemoryDedup(clock, INGEST_MEMORY_CAPACITY);
    StatusTracker statuses = redis != null ? new RedisStatusTracker(redis, config.redis().timeout(),
        config.redis().keyPrefix())
        : new MemoryStatusTracker(INGEST_MEMORY_CAPACITY);
    debouncer = redis != null
        ? new RedisDebouncer(redis, config.ingest().debounce(), clock, config.redis().keyPrefix(), config.redis().timeout())
        : new MemoryDebouncer(config.ingest().debounce(), clock, INGEST_MEMORY_CAPACITY);
    timeline = new TimelineSink(vertx.eventBus(), nestedTimeout);
    MessageSink sink = new BufferingSink(timeline::store, debouncer, timeline::cleared, redis != null);
    return new IngestService(config.channels(), dedup, statuses, ingestStats, sink, timeline, debouncer,
        dispatchStats, clock, outboundStats::toJson);
  }

  /** Sends to the channels: one sender and one circuit breaker per channel, one of each per process. */
  private OutboundService outboundService() {
    if (outbound == null) {
      OutboundConfig settings = config.outbound();
      Duration timeout = settings.breaker().callTimeout();
      Map<String, ChannelSender> senders = Map.of(
          "whatsapp", new WhatsAppSender(webClient(), settings.whatsapp(), timeout),
          "messenger", new MessengerSender(webClient(), settings.messenger(), timeout),
          "twitter", new TwitterSender(webClient(), settings.twitter(), timeout));
      Map<String, Breaker> breakers = new HashMap<>();
      for (String channel : OutboundService.CHANNELS) {
        Breaker breaker = new Breaker(vertx, "channel", channel, settings.breaker(),
            OutboundService.BREAKER_CHANGED, clock);
        breakers.put(channel, breaker);
        // Shown by /ready and /metrics like the helpdesk's (baton_breaker_state{breaker="channel_whatsapp"}).
        this.breakers.register("channel_" + channel, channel + " send API", breaker::state);
      }
      outbound = new OutboundService(storage.outbound(), storage.operator(), senders, Map.copyOf(breakers), settings,
          outboundStats, clock);
    }
    return outbound;
  }

  /**
   * The rate limiter the HTTP verticles share: buckets in Redis when it is configured (every instance
   * counts together), with what {@code limits.rate.on_redis_failure} says while Redis is unreachable;
   * else in this process's memory. Null when rate limits are off.
   */
  private RateLimiter rateLimiter() {
    RateLimitsConfig rate = config.limits().rate();
    if (!rate.enabled()) {
      LOG.warn("Rate limits are off (limits.rate.enabled is false)");
      return null;
    }
    MemoryRateLimiter memory = new MemoryRateLimiter(clock, rate.memoryMaxBuckets());
    boolean useRedis = switch (rate.store()) {
      case MEMORY -> false;
      case AUTO -> config.redis().configured();
      case REDIS -> {
        if (!config.redis().configured()) {
          throw new IllegalArgumentException("limits.rate.store is redis but redis.url (BATON_REDIS_URL) is empty");
        }
        yield true;
      }
    };
    if (!useRedis) {
      LOG.info("Rate limits are kept in this process's memory: each instance counts on its own");
      return memory;
    }
    if (redis == null) {
      redis = RedisClients.create(vertx, config.redis());
    }
    LOG.info("Rate limits are kept in Redis, shared by every instance; while it is unreachable: {}",
        rate.onRedisFailure().name().toLowerCase(java.util.Locale.ROOT));
    return new FallbackRateLimiter(new RedisRateLimiter(redis, config.redis().timeout(), config.redis().keyPrefix()),
        memory, rate.onRedisFailure(), clock);
  }

  /** The configured helpdesk; an external one behind its circuit breaker, one per process. */
  private HelpdeskAdapter adapter(TicketService tickets) {
    HelpdeskConfig helpdesk = config.helpdesk();
    Duration timeout = helpdesk.breaker().callTimeout();
    HelpdeskAdapter external = switch (helpdesk.adapter()) {
      case BUILTIN -> null;
      case ZENDESK -> new ZendeskAdapter(webClient(), helpdesk.zendesk(), timeout);
      case FRESHDESK -> new FreshdeskAdapter(webClient(), helpdesk.freshdesk(), timeout);
      case WEBHOOK -> new WebhookAdapter(webClient(), helpdesk.webhook(), timeout, clock);
    };
    if (external == null) {
      return new BuiltinAdapter(tickets, helpdesk.publicUrl());
    }
    guarded = new GuardedAdapter(vertx, external, helpdesk.breaker(), clock);
    GuardedAdapter breaker = guarded;
    breakers.register("helpdesk", breaker.name(), breaker::state);
    return guarded;
  }

  private WebClient webClient() {
    if (webClient == null) {
      webClient = WebClient.create(vertx, new WebClientOptions()
          .setUserAgent("Baton/" + BuildInfo.VERSION)
          .setConnectTimeout((int) config.helpdesk().breaker().callTimeout().toMillis()),
          // Bounded: when the helpdesk is slow, calls beyond these fail instead of piling up.
          new PoolOptions().setHttp1MaxSize(32).setMaxWaitQueueSize(1024));
    }
    return webClient;
  }

  private Future<Storage> openStorage() {
    if (config.storage().mode() == StorageMode.MEMORY) {
      LOG.warn("""

          ************************************************************************
          *  Baton runs with the EMBEDDED IN-MEMORY STORE: nothing is kept.      *
          *  Handoffs, events and idempotency keys are lost when it stops.       *
          *  Set BATON_STORAGE_POSTGRES_URL to keep them in PostgreSQL.          *
          ************************************************************************""");
      return Future.succeededFuture(new MemoryStorage());
    }
    return Migrations.run(vertx, config.storage().postgres())
        .map(result -> {
          LOG.info("Database schema {}: {} migration(s) applied, now at version {}",
              config.storage().postgres().schema(), result.migrationsExecuted,
              result.migrationsExecuted > 0 ? result.targetSchemaVersion : "current");
          return PgStorage.connect(vertx, config.storage().postgres());
        });
  }

  /** Meters that read numbers kept by the capabilities; see the README for their meaning. */
  private void registerMeters() {
    metrics.gauge("baton.sse.connections", "Event streams open on this instance", null, streamLimits, StreamLimits::open);
    metrics.gauge("baton.event.relay.lag", "Seconds since this instance's relay last read the event log",
        "seconds", relay, r -> r.lag().toMillis() / 1000.0);
    metrics.count("baton.dedup.hits", "Channel messages dropped as already received", ingestStats,
        s -> s.deduplicated.get());
    metrics.count("baton.webhooks.received", "Channel webhook deliveries received", ingestStats,
        s -> s.webhooks.get());
    metrics.count("baton.webhooks.invalid.signatures", "Channel webhook deliveries refused for their signature",
        ingestStats, s -> s.invalidSignatures.get());
    metrics.count("baton.debounce.flushes", "Debounce batches flushed (claimed and dispatched)", dispatchStats,
        s -> s.batches.get());
    metrics.count("baton.dispatch.failures", "Batches the bot did not accept (each failed attempt)", dispatchStats,
        s -> s.botFailures.get());
    metrics.count("baton.dispatch.given.up", "Batches given up after their last attempt", dispatchStats,
        s -> s.givenUp.get());
  }

  /** The meters of this process (GET /metrics). */
  public Metrics metrics() {
    return metrics;
  }

  /** The circuit breakers of this process; a capability with a breaker of its own registers it here. */
  public Breakers breakers() {
    return breakers;
  }

  /** Event streams open on this instance now. */
  public int openStreams() {
    return streamLimits.open();
  }

  /** The stores this instance opened (available once {@link #start()} has succeeded). */
  public Storage storage() {
    return storage;
  }

  /**
   * HTTP first (its servers stop accepting and drain in-flight requests, which still need the
   * capabilities), then the capabilities, then the stores. Vert.x itself is closed by the owner of
   * the instance, from outside its event loops: a close chained on one of them never reports back.
   */
  public Future<Void> stop() {
    Future<?> http = httpDeployment == null ? Future.succeededFuture() : vertx.undeploy(httpDeployment);
    return http
        .transform(drained -> {
          LOG.info("HTTP stopped; in-flight requests are answered");
          return Future.all(vertx.deploymentIDs().stream().map(vertx::undeploy).toList());
        })
        .transform(undeployed -> {
          LOG.info("Capabilities stopped");
          if (redis != null) {
            redis.close();
          }
          if (webClient != null) {
            webClient.close();
          }
          if (gatekeeper != null) {
            gatekeeper.stop();
          }
          return storage == null ? Future.succeededFuture() : storage.close();
        });
  }

  private void stopAndWait() {
    LOG.info("Stopping: finishing in-flight requests");
    try {
      stop().toCompletionStage().toCompletableFuture().get(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      LOG.info("Stopped");
    } catch (Exception e) {
      LOG.warn("Shutdown did not finish cleanly within {} s", SHUTDOWN_TIMEOUT_SECONDS, e);
    } finally {
      // Logging goes through a queue: flush it before the JVM halts, or the last lines are lost.
      if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
        logging.stop();
      }
    }
  }
}
