package io.baton.bus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.HashMap;
import java.util.Map;

/**
 * Sends a command to a consumer on the sender's own event loop when its address has one there, and
 * to any of its consumers otherwise. Vert.x hands an address's messages to its consumers in turn, so
 * with one instance of each verticle per event loop a command mostly went to another event loop and
 * its reply came back: each hop wakes the other loop (a system call) and queues the message. Under
 * webhook load, keeping commands on their event loop took a quarter off Baton's CPU per message
 * (bench/RESULTS.md, session 6). Every event loop still takes
 * its share of the work: the HTTP server spreads connections over its instances, and each request
 * stays where it was accepted.
 *
 * <p>A consumer registered through {@link #consumer} on an event loop also listens on an address of
 * that event loop's own ({@code <address>@<thread id>}, the id unique in the process). Each event loop
 * thread remembers its own addresses, so a send looks one up without a lock. After its
 * verticle is undeployed the address is still remembered until a send finds no handler there: that
 * send goes to the shared address, and so do the next ones.
 */
public final class Nearby {

  /** This thread's own address of each address with a consumer here (named once, not per send). */
  private static final ThreadLocal<Map<String, String>> LISTENING_HERE = ThreadLocal.withInitial(HashMap::new);

  private Nearby() {
  }

  /** Consumes {@code address}, and its event loop's own address when registered on an event loop. */
  public static <T> MessageConsumer<T> consumer(EventBus bus, String address, Handler<Message<T>> handler) {
    MessageConsumer<T> shared = bus.consumer(address, handler);
    if (Context.isOnEventLoopThread()) {
      String here = address + '@' + Thread.currentThread().threadId();
      bus.localConsumer(here, handler);
      LISTENING_HERE.get().put(address, here);
    }
    return shared;
  }

  /** {@link EventBus#request}, to a consumer on this event loop when there is one. */
  public static <T> Future<Message<T>> request(EventBus bus, String address, Object body, DeliveryOptions options) {
    String here = LISTENING_HERE.get().get(address);
    if (here == null) {
      return bus.request(address, body, options);
    }
    return bus.<T>request(here, body, options).recover(failure -> {
      if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
        LISTENING_HERE.get().remove(address);
        return bus.request(address, body, options);
      }
      return Future.failedFuture(failure);
    });
  }
}
