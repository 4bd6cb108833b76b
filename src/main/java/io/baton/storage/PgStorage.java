package io.baton.storage;

import io.baton.config.BatonConfig.PostgresConfig;
import io.baton.events.EventFeed;
import io.baton.events.PgEventFeed;
import io.baton.handoff.HandoffStore;
import io.baton.handoff.PgHandoffStore;
import io.baton.helpdesk.PgTicketRetryStore;
import io.baton.helpdesk.PgTicketStore;
import io.baton.helpdesk.TicketRetryStore;
import io.baton.helpdesk.TicketStore;
import io.baton.idempotency.IdempotencyStore;
import io.baton.idempotency.PgIdempotencyStore;
import io.baton.operator.OperatorStore;
import io.baton.operator.PgOperatorStore;
import io.baton.outbound.OutboundStore;
import io.baton.outbound.PgOutboundStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Instant;

/**
 * PostgreSQL storage: one pool for the process, shared by the verticles (the pool spreads its
 * connections over the event loops). Prepared statements are cached per connection.
 */
public final class PgStorage implements Storage {

  private final Pool pool;
  private final PgHandoffStore handoffs;
  private final PgIdempotencyStore idempotency;
  private final PgOperatorStore operator;
  private final PgEventFeed eventFeed;
  private final PgTicketStore tickets;
  private final PgTicketRetryStore ticketRetries;
  private final PgOutboundStore outbound;

  private PgStorage(Vertx vertx, Pool pool, int createBatches, PgEventFeed eventFeed) {
    this.pool = pool;
    this.eventFeed = eventFeed;
    this.handoffs = new PgHandoffStore(pool, createBatches);
    this.idempotency = new PgIdempotencyStore(pool);
    this.operator = new PgOperatorStore(vertx, pool, createBatches);
    this.tickets = new PgTicketStore(pool);
    this.ticketRetries = new PgTicketRetryStore(pool);
    this.outbound = new PgOutboundStore(pool);
  }

  /** Statements up to this long stay prepared on their connection (every statement Baton sends is shorter). */
  static final int PREPARED_STATEMENT_SQL_LIMIT = 16_384;

  public static PgStorage connect(Vertx vertx, PostgresConfig config) {
    PgConnectOptions connect = connectOptions(config);
    PoolOptions poolOptions = new PoolOptions()
        .setMaxSize(config.poolSize())
        .setName("baton-pg")
        .setShared(false)
        // A bounded wait queue: when every connection is busy and the queue is full, a request
        // fails fast (503) instead of piling up in memory.
        .setMaxWaitQueueSize(config.poolSize() * 256)
        .setConnectionTimeout(5);
    Pool pool = PgBuilder.pool().with(poolOptions).connectingTo(connect).using(vertx).build();
    PgEventFeed eventFeed = new PgEventFeed(pool);
    return new PgStorage(vertx, pool, Math.max(1, Math.min(config.createBatches(), config.poolSize())), eventFeed);
  }

  /** Connection options from the url, with the schema as search_path when it is not public. */
  public static PgConnectOptions connectOptions(PostgresConfig config) {
    PgConnectOptions connect = PgConnectOptions.fromUri(config.url())
        .setCachePreparedStatements(true)
        // The client caches statements up to 2,048 characters by default: the longest ones (a handoff's
        // create, a webhook's messages) are the busiest, and were parsed and planned on every call.
        .setPreparedStatementCacheSqlLimit(PREPARED_STATEMENT_SQL_LIMIT)
        .setPipeliningLimit(256);
    if (!"public".equals(config.schema())) {
      connect.addProperty("search_path", config.schema());
    }
    return connect;
  }

  public Pool pool() {
    return pool;
  }

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public HandoffStore handoffs() {
    return handoffs;
  }

  @Override
  public IdempotencyStore idempotency() {
    return idempotency;
  }

  @Override
  public OperatorStore operator() {
    return operator;
  }

  @Override
  public TicketStore tickets() {
    return tickets;
  }

  @Override
  public TicketRetryStore ticketRetries() {
    return ticketRetries;
  }

  @Override
  public OutboundStore outbound() {
    return outbound;
  }

  @Override
  public EventFeed eventFeed() {
    return eventFeed;
  }

  @Override
  public Future<Void> purgeExpired(Instant now) {
    return Future.all(idempotency.purgeExpired(now),
        operator.purgeEarlyStatuses(now.minus(OperatorStore.EARLY_STATUS_KEPT_FOR))).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return pool.close();
  }
}
