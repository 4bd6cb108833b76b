package io.baton.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.config.BatonConfig;
import io.baton.ingest.debounce.MemoryDebouncer;
import io.baton.ingest.dispatch.DispatchStats;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The ingest path without HTTP: what happens when a message cannot be made durable. */
class IngestServiceTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final BatonConfig config = BatonConfig.from(BatonInstance.shippedConfig(),
      Map.of("BATON_CHANNELS_WHATSAPP_APP_SECRET", Vectors.META_SECRET));

  private static String body(String... ids) {
    StringBuilder messages = new StringBuilder();
    for (int i = 0; i < ids.length; i++) {
      messages.append(i == 0 ? "" : ",").append("{\"from\":\"").append(i).append("\",\"id\":\"").append(ids[i])
          .append("\",\"timestamp\":\"1749416383\",\"type\":\"text\",\"text\":{\"body\":\"m\"}}");
    }
    return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
        + "\"value\":{\"metadata\":{\"phone_number_id\":\"1\"},\"messages\":[" + messages + "]}}]}]}";
  }

  @Test
  void aMessageThatCannotBeStoredFailsTheWebhookAndItsRetryIsProcessed() {
    List<String> stored = new ArrayList<>();
    AtomicBoolean down = new AtomicBoolean(true);
    // Like the timeline: each conversation is stored on its own (b's fails while the database is
    // down, a's and c's are kept), and a message id already stored is not new.
    MessageSink sink = messages -> {
      List<InboundMessage> created = new ArrayList<>();
      boolean failed = false;
      for (InboundMessage message : messages) {
        if (down.get() && message.providerMessageId().equals("wamid.b")) {
          failed = true;
        } else if (!stored.contains(message.providerMessageId())) {
          stored.add(message.providerMessageId());
          created.add(message);
        }
      }
      return failed ? Future.failedFuture(new IllegalStateException("database down")) : Future.succeededFuture(created);
    };
    IngestService service = new IngestService(config.channels(), new MemoryDedup(clock, 100),
        new MemoryStatusTracker(100), new IngestStats(), sink, (tenant, status) -> Future.succeededFuture(),
        new MemoryDebouncer(config.ingest().debounce(), clock, 100), new DispatchStats(), clock);
    Buffer raw = Buffer.buffer(body("wamid.a", "wamid.b", "wamid.c"));
    String signature = Signatures.meta(Vectors.META_SECRET, raw);

    Throwable failed = Await.failure(service.receive("whatsapp", signature, raw));
    down.set(false);
    JsonObject retried = Await.result(service.receive("whatsapp", signature, raw));

    assertThat(failed).hasMessage("database down");
    assertThat(retried.getInteger("messages")).isEqualTo(1);
    assertThat(retried.getInteger("duplicates")).isEqualTo(2);
    assertThat(stored).containsExactly("wamid.a", "wamid.c", "wamid.b");
  }
}
