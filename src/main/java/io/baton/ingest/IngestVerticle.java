package io.baton.ingest;

import io.baton.bus.Addresses;
import io.baton.bus.BusHandlers;
import io.baton.bus.Failures;
import io.baton.bus.Nearby;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/** The ingest capability on the bus: webhook handshakes, webhook bodies, chatbot escalations, stats. */
public final class IngestVerticle extends VerticleBase {

  private final IngestService service;
  private final Duration createTimeout;

  public IngestVerticle(IngestService service, Duration createTimeout) {
    this.service = service;
    this.createTimeout = createTimeout;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    MessageConsumer<Buffer> receive = Nearby.consumer(bus, Addresses.INGEST_RECEIVE, message -> {
      Future<JsonObject> answer;
      try {
        answer = service.receive(message.headers().get(Addresses.CHANNEL_HEADER),
            message.headers().get(Addresses.SIGNATURE_HEADER), message.body() == null ? Buffer.buffer() : message.body());
      } catch (RuntimeException failure) {
        answer = Future.failedFuture(failure);
      }
      answer.onSuccess(message::reply).onFailure(failure -> Failures.fail(message, failure));
    });
    List<MessageConsumer<?>> consumers = List.of(receive,
        BusHandlers.serve(bus, Addresses.INGEST_VERIFY, m -> "twitter".equals(m.body().getString("channel"))
            ? service.crc(m.body().getString("crc_token"))
            : service.verifyMeta(m.body().getString("channel"), m.body().getString("mode"),
                m.body().getString("verify_token"), m.body().getString("challenge"))),
        BusHandlers.serve(bus, Addresses.INGEST_CHATBOT,
            m -> service.chatbot(bus, createTimeout, m.body().getString("secret"), m.body().getJsonObject("body"))),
        BusHandlers.serve(bus, Addresses.INGEST_STATS, m -> service.stats()));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }
}
