package io.baton.helpdesk;

import io.baton.bus.Addresses;
import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.handoff.Handoff;
import io.baton.handoff.InlineTicket;
import io.baton.handoff.TicketOpener;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.baton.helpdesk.adapters.BuiltinAdapter;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks the helpdesk capability for a handoff's ticket, waiting at most the sync timeout. Failures
 * come back as UPSTREAM_FAILED with a detail fit for a client. With the built-in helpdesk a new
 * handoff's ticket is not asked for: it is drafted here and written with the handoff.
 */
public final class BusTicketOpener implements TicketOpener {

  private final EventBus bus;
  private final Duration timeout;
  private final BuiltinAdapter builtin;

  /** {@code builtin}: the built-in helpdesk when it is the configured one, else null. */
  public BusTicketOpener(EventBus bus, Duration timeout, BuiltinAdapter builtin) {
    this.bus = bus;
    this.timeout = timeout;
    this.builtin = builtin;
  }

  @Override
  public Optional<InlineTicket> inline(Handoff draft) {
    return builtin == null ? Optional.empty()
        : Optional.of(builtin.inline(TicketRequest.from(TicketRequest.message(null, draft, false))));
  }

  @Override
  public Future<TicketRef> open(String tenant, Handoff handoff, boolean lookupFirst) {
    return bus.<JsonObject>request(Addresses.HELPDESK_OPEN_TICKET, TicketRequest.message(tenant, handoff, lookupFirst),
            new DeliveryOptions().setSendTimeout(timeout.toMillis()))
        .map(reply -> new TicketRef(reply.body().getString("ticket_id"), reply.body().getString("ticket_url")))
        .recover(failure -> Future.failedFuture(upstreamFailure(failure)));
  }

  /** A failure fit for a client, with what the helpdesk capability added (ticket_status, retry_after_seconds). */
  private BatonException upstreamFailure(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return new BatonException(BatonError.UPSTREAM_FAILED,
            "the helpdesk did not answer within " + timeout.toMillis() + " ms");
      }
      if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        BatonException carried = BatonException.fromBus(reply.failureCode(), reply.getMessage());
        return carried.error() == BatonError.INTERNAL
            ? new BatonException(BatonError.UPSTREAM_FAILED, "the helpdesk failed")
            : new BatonException(BatonError.UPSTREAM_FAILED, carried.detail(), carried.extensions());
      }
    }
    return new BatonException(BatonError.UPSTREAM_FAILED, "the helpdesk is not available");
  }
}
