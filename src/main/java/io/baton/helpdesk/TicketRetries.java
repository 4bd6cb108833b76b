package io.baton.helpdesk;

import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.config.BatonConfig.RetryConfig;
import io.baton.handoff.Handoff;
import io.baton.handoff.HandoffStore;
import io.baton.handoff.TicketOpener.TicketRef;
import io.baton.helpdesk.adapters.HelpdeskAdapter;
import io.baton.downstream.Backoff;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes handoffs' tickets and keeps at it: an attempt that fails leaves a durable retry, due after
 * an exponential backoff with jitter; workers on every instance claim due retries exclusively and
 * try again (looking the ticket up by external id first) until it is made or the attempts are used.
 * The ticket is recorded on the handoff here, so an attempt whose caller stopped waiting still counts.
 */
public final class TicketRetries {

  private static final Logger LOG = LoggerFactory.getLogger(TicketRetries.class);

  private final HandoffStore handoffs;
  private final TicketRetryStore retries;
  private final HelpdeskAdapter adapter;
  private final RetryConfig config;
  private final Duration lease;
  private final Clock clock;
  /** When orphans were last looked for; they are rare, so not every round looks. */
  private Instant lastAdoption = Instant.MIN;

  public TicketRetries(HandoffStore handoffs, TicketRetryStore retries, HelpdeskAdapter adapter, RetryConfig config,
      Duration callTimeout, Clock clock) {
    this.handoffs = handoffs;
    this.retries = retries;
    this.adapter = adapter;
    this.config = config;
    // A lookup and a create, each bounded by the call timeout, with room to record the outcome.
    this.lease = callTimeout.multipliedBy(2).plusSeconds(5);
    this.clock = clock;
  }

  /**
   * An attempt during a create ({@code helpdesk.cmd.open_ticket}). For an external helpdesk it first
   * takes the right to call for the handoff (a leased retry row): two callers could each look, find
   * nothing and make a ticket. A create that finds the right taken (a repeated create while the
   * first attempt runs, or a retry) leaves it to its holder and answers the retry's state.
   */
  public Future<TicketRef> firstAttempt(JsonObject message) {
    TicketRequest request = TicketRequest.from(message);
    if (!adapter.needsExclusiveCalls()) {
      return request.lookupFirst() ? retryState(request) : attempt(request);
    }
    Instant now = now();
    return retries.claimNew(request.handoffId(), now.plus(lease), now)
        .compose(claimed -> claimed ? attempt(request).compose(ref -> retries.done(request.handoffId()).map(ref))
            : retryState(request));
  }

  /** Someone else holds the right to call the helpdesk for this handoff: answer their state. */
  private Future<TicketRef> retryState(TicketRequest request) {
    return retries.get(request.handoffId()).compose(found -> found
        .<Future<TicketRef>>map(retry -> Future.failedFuture(new BatonException(BatonError.UPSTREAM_FAILED,
            TicketRetry.FAILED.equals(retry.status())
                ? "it was given up after " + retry.attempts() + " attempts (" + retry.lastError() + ")"
                : "it is being retried (" + retry.lastError() + ")",
            new JsonObject().put("ticket_status", retry.status()))))
        .orElseGet(() -> attempt(request)));
  }

  private Future<TicketRef> attempt(TicketRequest request) {
    return adapter.open(request)
        .compose(ref -> link(request.tenant(), request.handoffId(), ref, request.lookupFirst()))
        .recover(failure -> retries.retryLater(request.handoffId(), 1, nextAttempt(1, failure), reason(failure), now())
            .transform(recorded -> {
              if (recorded.failed()) {
                LOG.error("Could not record a ticket retry for handoff {}", request.handoffId(), recorded.cause());
              }
              return Future.failedFuture(failure);
            }));
  }

  private Future<TicketRef> link(String tenant, String handoffId, TicketRef ref, boolean mayHaveRetry) {
    Future<Handoff> linked = handoffs.setTicket(tenant, handoffId, ref.ticketId(), ref.ticketUrl(), now());
    return (mayHaveRetry ? linked.compose(h -> retries.done(handoffId)) : linked.mapEmpty()).map(ref);
  }

  /** One round of due retries; answers how many were claimed. */
  public Future<Integer> runDue() {
    Instant now = now();
    Future<Integer> adopted = Future.succeededFuture(0);
    if (!now.isBefore(lastAdoption.plus(config.orphanAfter().dividedBy(2)))) {
      lastAdoption = now;
      adopted = retries.adoptOrphans(now.minus(config.orphanAfter()), now, config.batchSize());
    }
    return adopted
        .compose(found -> retries.claimDue(now, now.plus(lease), config.batchSize()))
        .compose(due -> Future.join(due.stream().map(this::retry).toList()).transform(done -> Future.succeededFuture(due.size())));
  }

  private Future<Void> retry(TicketRetry due) {
    // A retry row names only its handoff; the handoff says whose it is.
    return handoffs.tenantOf(due.handoffId()).compose(tenant -> tenant.isEmpty() ? retries.done(due.handoffId())
        : retry(tenant.get(), due));
  }

  private Future<Void> retry(String tenant, TicketRetry due) {
    return handoffs.get(tenant, due.handoffId()).compose(found -> {
      if (found.isEmpty() || found.get().ticketId() != null || !found.get().status().isActive()) {
        // Made meanwhile, or the handoff ended: nothing is owed.
        return retries.done(due.handoffId());
      }
      Handoff handoff = found.get();
      int attempt = due.attempts() + 1;
      return adapter.open(TicketRequest.from(TicketRequest.message(tenant, handoff, true)))
          .compose(ref -> {
            LOG.info("Ticket {} made for handoff {} at attempt {}", ref.ticketId(), handoff.id(), attempt);
            return link(tenant, handoff.id(), ref, true).<Void>mapEmpty();
          })
          .recover(failure -> {
            if (attempt >= config.maxAttempts()) {
              LOG.error("Giving up the ticket of handoff {} after {} attempts: {}", handoff.id(), attempt,
                  reason(failure));
              return retries.giveUp(handoff.id(), attempt, reason(failure), now());
            }
            LOG.warn("Ticket attempt {} for handoff {} failed: {}", attempt, handoff.id(), reason(failure));
            return retries.retryLater(handoff.id(), attempt, nextAttempt(attempt, failure), reason(failure), now());
          });
    });
  }

  /** Exponential backoff with jitter, never before a Retry-After. */
  Instant nextAttempt(int attempt, Throwable failure) {
    return Backoff.next(config, attempt, failure, now());
  }

  private static String reason(Throwable failure) {
    return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** A breaker state change ({@code helpdesk.evt.breaker_state}) into the event log. */
  public Future<Void> recordBreakerState(JsonObject change) {
    return retries.recordBreakerState(change.getString("helpdesk"), change.getString("state"), now());
  }

  /** What a handoff read shows of its ticket's retry, if any. */
  public Future<JsonObject> status(String handoffId) {
    return retries.get(handoffId).map(found -> found.map(TicketRetry::toJson).orElse(new JsonObject()));
  }
}
