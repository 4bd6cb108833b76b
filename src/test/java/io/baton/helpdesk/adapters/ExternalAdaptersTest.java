package io.baton.helpdesk.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.config.BatonConfig.FreshdeskConfig;
import io.baton.config.BatonConfig.WebhookConfig;
import io.baton.config.BatonConfig.ZendeskConfig;
import io.baton.handoff.Priority;
import io.baton.handoff.TicketOpener.TicketRef;
import io.baton.helpdesk.TicketRequest;
import io.baton.support.Await;
import io.baton.support.FakeHelpdesk;
import io.baton.support.FakeHelpdesk.Flavour;
import io.baton.support.FakeHelpdesk.Received;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The exact requests each external helpdesk gets, against real HTTP servers standing in for them. */
@Timeout(30)
class ExternalAdaptersTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx);

  @AfterEach
  void close() {
    client.close();
    Await.result(vertx.close());
  }

  static TicketRequest request(String handoffId, Priority priority, boolean lookupFirst) {
    return new TicketRequest(handoffId, "conv-1", "user-456", "Handoff: My card was charged twice",
        "user: My card was charged twice\nai: Let me transfer you\n", "Ana", "ana@example.com", null, priority,
        List.of("billing", "baton"), "web", lookupFirst, "default");
  }

  private static String basic(String userAndPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void zendeskGetsItsTicketShapeAndTokenAuth() {
    try (FakeHelpdesk zendesk = FakeHelpdesk.start(vertx, Flavour.ZENDESK)) {
      ZendeskAdapter adapter = new ZendeskAdapter(client,
          new ZendeskConfig(zendesk.baseUrl(), "agent@example.com", "tok123"), TIMEOUT);

      TicketRef ref = Await.result(adapter.open(request("ho-1", Priority.CRITICAL, false)));

      Received post = zendesk.received().getFirst();
      assertThat(post.method()).isEqualTo("POST");
      assertThat(post.path()).isEqualTo("/api/v2/tickets");
      assertThat(post.headers().get("authorization")).isEqualTo(basic("agent@example.com/token:tok123"));
      JsonObject ticket = post.json().getJsonObject("ticket");
      assertThat(ticket.getString("subject")).isEqualTo("Handoff: My card was charged twice");
      assertThat(ticket.getJsonObject("comment").getString("body")).startsWith("user: My card was charged twice\n");
      assertThat(ticket.getJsonObject("requester")).isEqualTo(
          new JsonObject().put("name", "Ana").put("email", "ana@example.com"));
      assertThat(ticket.getString("priority")).isEqualTo("urgent");
      assertThat(ticket.getString("external_id")).isEqualTo("ho-1");
      assertThat(ticket.getJsonArray("tags").getList()).containsExactly("billing", "baton");
      assertThat(ref.ticketId()).isEqualTo("1000");
      assertThat(ref.ticketUrl()).isEqualTo(zendesk.baseUrl() + "/api/v2/tickets/1000.json");
    }
  }

  @Test
  void zendeskPrioritiesMapAsItNamesThem() {
    try (FakeHelpdesk zendesk = FakeHelpdesk.start(vertx, Flavour.ZENDESK)) {
      ZendeskAdapter adapter = new ZendeskAdapter(client, new ZendeskConfig(zendesk.baseUrl(), "a@b", "t"), TIMEOUT);
      Map<Priority, String> expected = Map.of(Priority.LOW, "low", Priority.MEDIUM, "normal", Priority.HIGH, "high",
          Priority.URGENT, "urgent", Priority.CRITICAL, "urgent");
      expected.forEach((priority, name) -> {
        Await.result(adapter.open(request("ho-" + priority, priority, false)));
        assertThat(zendesk.received().getLast().json().getJsonObject("ticket").getString("priority")).isEqualTo(name);
      });
    }
  }

  @Test
  void zendeskRetryFindsTheTicketAnEarlierCallMade() {
    try (FakeHelpdesk zendesk = FakeHelpdesk.start(vertx, Flavour.ZENDESK)) {
      ZendeskAdapter adapter = new ZendeskAdapter(client, new ZendeskConfig(zendesk.baseUrl(), "a@b", "t"), TIMEOUT);
      TicketRef first = Await.result(adapter.open(request("ho-found", Priority.HIGH, false)));

      TicketRef again = Await.result(adapter.open(request("ho-found", Priority.HIGH, true)));

      assertThat(again).isEqualTo(first);
      assertThat(zendesk.creates()).isEqualTo(1);
      Received lookup = zendesk.received().getLast();
      assertThat(lookup.method()).isEqualTo("GET");
      assertThat(lookup.query()).isEqualTo("external_id=ho-found");
    }
  }

  @Test
  void freshdeskGetsItsTicketShapeAndKeyAuth() {
    try (FakeHelpdesk freshdesk = FakeHelpdesk.start(vertx, Flavour.FRESHDESK)) {
      FreshdeskAdapter adapter = new FreshdeskAdapter(client, new FreshdeskConfig(freshdesk.baseUrl(), "key789"),
          TIMEOUT);

      TicketRef ref = Await.result(adapter.open(request("ho-2", Priority.MEDIUM, false)));

      Received post = freshdesk.received().getFirst();
      assertThat(post.path()).isEqualTo("/api/v2/tickets");
      assertThat(post.headers().get("authorization")).isEqualTo(basic("key789:X"));
      JsonObject body = post.json();
      assertThat(body.getString("subject")).isEqualTo("Handoff: My card was charged twice");
      assertThat(body.getString("description")).startsWith("user: My card was charged twice");
      assertThat(body.getString("email")).isEqualTo("ana@example.com");
      assertThat(body.getInteger("priority")).isEqualTo(2);
      assertThat(body.getInteger("status")).isEqualTo(2);
      assertThat(body.getString("unique_external_id")).isEqualTo("ho-2");
      assertThat(ref.ticketId()).isEqualTo("1000");
      assertThat(ref.ticketUrl()).isEqualTo(freshdesk.baseUrl() + "/a/tickets/1000");

      Await.result(adapter.open(request("ho-2", Priority.MEDIUM, true)));
      assertThat(freshdesk.creates()).isEqualTo(1);
      assertThat(freshdesk.received().getLast().query()).isEqualTo("unique_external_id=ho-2");
    }
  }

  @Test
  void freshdeskPrioritiesAreNumbers() {
    try (FakeHelpdesk freshdesk = FakeHelpdesk.start(vertx, Flavour.FRESHDESK)) {
      FreshdeskAdapter adapter = new FreshdeskAdapter(client, new FreshdeskConfig(freshdesk.baseUrl(), "k"), TIMEOUT);
      Map<Priority, Integer> expected = Map.of(Priority.LOW, 1, Priority.MEDIUM, 2, Priority.HIGH, 3,
          Priority.URGENT, 4, Priority.CRITICAL, 4);
      expected.forEach((priority, number) -> {
        Await.result(adapter.open(request("ho-" + priority, priority, false)));
        assertThat(freshdesk.received().getLast().json().getInteger("priority")).isEqualTo(number);
      });
    }
  }

  @Test
  void theWebhookIsSignedAsStandardWebhooksWithAnIdStableAcrossRetries() {
    try (FakeHelpdesk receiver = FakeHelpdesk.start(vertx, Flavour.WEBHOOK)) {
      String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
      Clock clock = Clock.fixed(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC);
      WebhookAdapter adapter = new WebhookAdapter(client, new WebhookConfig(receiver.baseUrl() + "/hook", secret),
          TIMEOUT, clock);

      TicketRef ref = Await.result(adapter.open(request("ho-3", Priority.HIGH, false)));
      Await.result(adapter.open(request("ho-3", Priority.HIGH, true)));

      Received first = receiver.received().get(0);
      Received second = receiver.received().get(1);
      assertThat(first.path()).isEqualTo("/hook");
      assertThat(first.headers().get("webhook-id")).isEqualTo(second.headers().get("webhook-id"));
      assertThat(first.headers().get("webhook-timestamp")).isEqualTo("1800000000");
      assertThat(first.headers().get("webhook-signature")).isEqualTo(StandardWebhooks.sign(secret,
          first.headers().get("webhook-id"), 1_800_000_000L, first.body().getBytes(StandardCharsets.UTF_8)));
      JsonObject data = first.json().getJsonObject("data");
      assertThat(first.json().getString("type")).isEqualTo("ticket.requested");
      assertThat(data.getString("external_id")).isEqualTo("ho-3");
      assertThat(data.getString("priority")).isEqualTo("high");
      assertThat(ref.ticketId()).isEqualTo("wh-1000");
    }
  }

  @Test
  void anErrorAnswerSaysWhetherItCountsAndHowLongToWait() {
    try (FakeHelpdesk zendesk = FakeHelpdesk.start(vertx, Flavour.ZENDESK)) {
      ZendeskAdapter adapter = new ZendeskAdapter(client, new ZendeskConfig(zendesk.baseUrl(), "a@b", "t"), TIMEOUT);
      zendesk.answerNext(1, 429, Map.of("Retry-After", "7")).answerNext(1, 422, Map.of());

      HelpdeskCallFailed limited = (HelpdeskCallFailed) Await.failure(adapter.open(request("ho-4", Priority.LOW, false)));
      HelpdeskCallFailed invalid = (HelpdeskCallFailed) Await.failure(adapter.open(request("ho-4", Priority.LOW, false)));

      assertThat(limited.countsAsFailure()).isTrue();
      assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(7));
      assertThat(invalid.countsAsFailure()).isFalse();
      assertThat(invalid.getMessage()).isEqualTo("Zendesk answered 422");
    }
  }
}
