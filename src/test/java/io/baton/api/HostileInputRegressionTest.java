package io.baton.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** What HostileInputTest found, kept as plain cases: each was a 500, an undocumented answer or a bare one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class HostileInputRegressionTest {

  private BatonInstance memory;
  private BatonInstance postgres;
  private Vertx clientVertx;

  @BeforeAll
  void start() {
    memory = BatonInstance.memory(Map.of());
    postgres = BatonInstance.postgres(Map.of());
    clientVertx = Vertx.vertx();
  }

  @AfterAll
  void stop() {
    Await.result(clientVertx.close());
    memory.close();
    postgres.close();
  }

  private record Answer(int status, String contentType, String requestId, String body) {
    JsonObject problem() {
      assertThat(contentType).isEqualTo("application/problem+json");
      JsonObject problem = new JsonObject(body);
      assertThat(problem.getInteger("status")).isEqualTo(status);
      assertThat(problem.getString("detail")).isNotBlank();
      assertThat(problem.getString("request_id")).isEqualTo(requestId);
      assertThat(body).doesNotContain("Exception", "io.netty", "java.");
      return problem;
    }
  }

  private Answer send(BatonInstance baton, HttpMethod method, String uri, Map<String, String> headers, String body) {
    HttpClient http = clientVertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(baton.port).setMaxInitialLineLength(65_536).setMaxHeaderSize(65_536));
    try {
      RequestOptions options = new RequestOptions().setMethod(method).setURI(uri).setTimeout(15_000);
      headers.forEach(options::putHeader);
      return Await.result(http.request(options)
          .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
          .compose((HttpClientResponse response) -> response.body().map(b -> new Answer(response.statusCode(),
              response.getHeader("Content-Type"), response.getHeader("X-Request-Id"), b.toString()))));
    } finally {
      http.close();
    }
  }

  @Test
  void aQueryStringThatIsNotPercentEncodingIsABadRequest() {
    for (String uri : new String[] {"/webhooks/whatsapp?hub.mode=subscribe&%zz=1", "/api/v1/handoffs?%zz", "/health?%"}) {
      Answer answer = send(memory, HttpMethod.GET, uri, Map.of(), null);
      assertThat(answer.status()).as(uri).isEqualTo(400);
      assertThat(answer.problem().getString("detail")).contains("percent-encoding");
    }
  }

  @Test
  void aFormBodyWithAFieldOverNettysLimitIsABadRequest() {
    Answer answer = send(memory, HttpMethod.POST, "/api/v1/tickets/tk-1/message",
        Map.of("Content-Type", "application/x-www-form-urlencoded"), "content=" + "x".repeat(20_000));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.problem().getString("detail")).contains("application/json");
  }

  @Test
  void aRequestLineTooLongIsA414Problem() {
    Answer answer = send(memory, HttpMethod.GET, "/api/v1/handoffs/" + "h".repeat(10_000), Map.of(), null);
    assertThat(answer.status()).isEqualTo(414);
    answer.problem();
  }

  @Test
  void aPageFarPastTheEndIsEmptyNotAnOverflow() {
    for (BatonInstance baton : new BatonInstance[] {memory, postgres}) {
      for (String uri : new String[] {"/api/v1/tickets?page=1.0E300", "/api/v1/handoffs?page=1.0E300",
          "/api/v1/tickets?page=2147483647&page_size=100"}) {
        Answer answer = send(baton, HttpMethod.GET, uri, Map.of(), null);
        assertThat(answer.status()).as(uri + ": " + answer.body()).isEqualTo(200);
      }
      // A conversation with messages, so that the listing reaches the store's OFFSET.
      String conversation = "conv-page-" + java.util.UUID.randomUUID();
      Answer added = send(baton, HttpMethod.POST, "/api/v1/conversations/" + conversation + "/messages",
          Map.of("Content-Type", "application/json"),
          new JsonObject().put("message_owner", "user").put("content", "hi").encode());
      assertThat(added.status()).as(added.body()).isEqualTo(200);
      Answer page = send(baton, HttpMethod.GET, "/api/v1/conversations/" + conversation + "/messages?page=1.0E300",
          Map.of(), null);
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      assertThat(new JsonObject(page.body()).getJsonArray("messages")).isEmpty();
    }
  }

  @Test
  void aNulCharacterInAnIdOrTextIsInvalidInBothModes() {
    for (BatonInstance baton : new BatonInstance[] {memory, postgres}) {
      Answer assign = send(baton, HttpMethod.POST, "/api/v1/conversations/%00/handoff/assign",
          Map.of("Content-Type", "application/json"), new JsonObject().put("agent_id", "agent-1").encode());
      assertThat(assign.status()).as(assign.body()).isIn(404, 422);
      assign.problem();
      Answer create = send(baton, HttpMethod.POST, "/api/v1/handoff", Map.of("Content-Type", "application/json"),
          new JsonObject().put("conversation_id", "conv-nul-" + java.util.UUID.randomUUID()).put("user_id", "u")
              .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("speaker", "user")
                  .put("content", "a human \u0000 please"))).encode());
      assertThat(create.status()).as(create.body()).isIn(200, 422);
      if (create.status() == 422) {
        create.problem();
      }
    }
  }

  @Test
  void aRequestIdThatLooksLikeANegativeNumberIsStillAnId() {
    Answer answer = send(memory, HttpMethod.GET, "/api/v1/agents", Map.of("X-Request-Id", "-5"), null);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.requestId()).isEqualTo("-5");
  }
}
