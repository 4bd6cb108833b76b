package io.baton.events;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The events one read of the log found, in id order, as the relay publishes them on
 * {@link io.baton.bus.Addresses#EVENTS_APPENDED} to this process's consumers (the live streams, the
 * metrics). Delivered as they are, neither copied nor encoded: a JSON body would be copied for each
 * consumer, event by event, which under a webhook load was the relay's largest cost. Consumers read
 * it and never change it.
 */
public record EventBatch(List<Event> events) {

  public EventBatch {
    events = List.copyOf(events);
  }

  /** Lets the bus carry batches; once per event bus, later calls do nothing. */
  public static synchronized void registerCodec(EventBus bus) {
    try {
      bus.registerDefaultCodec(EventBatch.class, new Codec());
    } catch (IllegalStateException alreadyRegistered) {
      // Another relay of this process registered it (tests deploy several).
    }
  }

  /** Local delivery hands over the same batch; on a wire it would travel as a JSON array of events. */
  private static final class Codec implements MessageCodec<EventBatch, EventBatch> {

    @Override
    public void encodeToWire(Buffer buffer, EventBatch batch) {
      Buffer json = new JsonArray(batch.events().stream().map(Event::toJson).toList()).toBuffer();
      buffer.appendInt(json.length()).appendBuffer(json);
    }

    @Override
    public EventBatch decodeFromWire(int position, Buffer buffer) {
      int length = buffer.getInt(position);
      JsonArray json = new JsonArray(buffer.getBuffer(position + 4, position + 4 + length));
      return new EventBatch(json.stream().map(event -> Event.fromJson((JsonObject) event)).toList());
    }

    @Override
    public EventBatch transform(EventBatch batch) {
      return batch;
    }

    @Override
    public String name() {
      return "baton.event-batch";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
