package io.baton.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.events.MemoryEventLog;
import io.baton.handoff.MemoryHandoffStore;
import io.baton.handoff.Speaker;
import io.baton.support.Await;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory store keeps a bounded number of statuses for messages it cannot find yet. */
class MemoryEarlyStatusesTest {

  private static final String T = "default";
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  @Test
  void beyondTheBoundTheLongestKeptStatusIsForgotten() {
    MemoryOperatorStore store = new MemoryOperatorStore(new MemoryHandoffStore(new MemoryEventLog(1_000), ticket -> { }), 2);
    for (int i = 1; i <= 3; i++) {
      String conversation = "whatsapp:1650555000" + i;
      Await.result(store.addMessage(T, new ConversationMessage("m-" + i, conversation, Speaker.AGENT, "hello",
          "agent-1", null, ConversationMessage.QUEUED, T0), conversation));
      Await.result(store.updateDeliveryStatus(T, List.of(conversation), "wamid." + i, "delivered", T0.plusSeconds(i)));
    }
    for (int i = 1; i <= 3; i++) {
      Await.result(store.recordSent(T, "whatsapp:1650555000" + i, "m-" + i, "wamid." + i, T0.plusSeconds(10)));
    }
    assertThat(status(store, 1)).isEqualTo("sent");
    assertThat(status(store, 2)).isEqualTo("delivered");
    assertThat(status(store, 3)).isEqualTo("delivered");
  }

  private static String status(MemoryOperatorStore store, int i) {
    return Await.result(store.message(T, "whatsapp:1650555000" + i, "m-" + i)).orElseThrow().deliveryStatus();
  }
}
