package io.baton.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.SseStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Security headers on every kind of answer, the docs page under its policy, and CORS off and on. */
@Timeout(60)
class HeadersAndCorsTest {

  private static void assertSecurityHeaders(HttpResponse<Buffer> answer) {
    assertThat(answer.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(answer.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(answer.getHeader("X-Frame-Options")).isEqualTo("DENY");
  }

  @Test
  void everyApiAnswerCarriesTheSecurityHeadersAndIsNeverCached() {
    try (BatonInstance baton = BatonInstance.memory(Map.of("BATON_HTTP_BODY_LIMIT_BYTES", "100"))) {
      List<HttpResponse<Buffer>> answers = List.of(
          Await.result(baton.client.get("/api/v1/handoffs").send()),
          Await.result(baton.client.get("/api/v1/handoffs/ho-nope").send()),
          Await.result(baton.client.get("/no/such/route").send()),
          Await.result(baton.client.post("/api/v1/check").putHeader("Content-Type", "application/json")
              .sendBuffer(Buffer.buffer("{\"pad\":\"" + "x".repeat(200) + "\"}"))),
          Await.result(baton.client.get("/health").send()));

      assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(200, 404, 404, 413, 200);
      for (HttpResponse<Buffer> answer : answers) {
        assertSecurityHeaders(answer);
        assertThat(answer.getHeader("Cache-Control")).isEqualTo("no-store");
        assertThat(answer.getHeader("Content-Security-Policy")).isEqualTo(SecurityHeaders.API_POLICY);
        // HTTPS is not known to be in front: no HSTS unless configured.
        assertThat(answer.getHeader("Strict-Transport-Security")).isNull();
        // CORS is off by default.
        assertThat(answer.getHeader("Access-Control-Allow-Origin")).isNull();
      }
    }
  }

  @Test
  void strictTransportSecurityIsSentWhenConfigured() {
    try (BatonInstance baton = BatonInstance.memory(Map.of("BATON_HEADERS_HSTS_MAX_AGE_SECONDS", "31536000",
        "BATON_HEADERS_HSTS_INCLUDE_SUBDOMAINS", "true"))) {
      HttpResponse<Buffer> answer = Await.result(baton.client.get("/health").send());

      assertThat(answer.getHeader("Strict-Transport-Security")).isEqualTo("max-age=31536000; includeSubDomains");
    }
  }

  /**
   * The page loads only files of its own origin, which the policy allows ('self'), each served with its
   * real type (nosniff makes browsers refuse a script of another type), and has no inline script, which
   * the policy would block.
   */
  @Test
  void theDocsPageWorksUnderItsContentSecurityPolicy() {
    try (BatonInstance baton = BatonInstance.memory(Map.of())) {
      HttpResponse<Buffer> page = Await.result(baton.client.get("/docs/").send());

      assertThat(page.statusCode()).isEqualTo(200);
      assertSecurityHeaders(page);
      String policy = page.getHeader("Content-Security-Policy");
      assertThat(policy).isEqualTo(SecurityHeaders.DOCS_POLICY).contains("script-src 'self';")
          .doesNotContain("unsafe-eval");
      assertThat(policy.replaceAll(".*script-src ([^;]*);.*", "$1")).isEqualTo("'self'");
      String html = page.bodyAsString();
      assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE).matcher(html).find())
          .as("no inline script").isFalse();
      assertThat(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find())
          .as("no inline event handler").isFalse();

      List<String> assets = new ArrayList<>();
      Matcher references = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
      while (references.find()) {
        assets.add(references.group(1));
      }
      assertThat(assets).contains("./swagger-ui-bundle.js", "./swagger-initializer.js", "./swagger-ui.css");
      for (String asset : assets) {
        assertThat(asset).as("same origin").doesNotContain("//").doesNotStartWith("data:");
        HttpResponse<Buffer> file = Await.result(baton.client.get("/docs/" + asset.replaceFirst("^\\./", "")).send());
        assertThat(file.statusCode()).as(asset).isEqualTo(200);
        assertThat(file.getHeader("Content-Security-Policy")).isEqualTo(SecurityHeaders.DOCS_POLICY);
        String type = file.getHeader("Content-Type");
        if (asset.endsWith(".js")) {
          assertThat(type).as(asset).contains("javascript");
        } else if (asset.endsWith(".css")) {
          assertThat(type).as(asset).startsWith("text/css");
        }
      }
      // The initializer fetches the contract from this origin, which connect-src 'self' allows.
      String initializer = Await.result(baton.client.get("/docs/swagger-initializer.js").send()).bodyAsString();
      assertThat(initializer).contains("url: \"/openapi.yaml\"");
      assertThat(Await.result(baton.client.get("/openapi.yaml").send()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void corsWhenEnabledAnswersPreflightsAllowsConfiguredOriginsOnlyAndStreamsEvents() {
    try (BatonInstance baton = BatonInstance.memory(Map.of(
        "BATON_HEADERS_CORS_ENABLED", "true",
        "BATON_HEADERS_CORS_ALLOWED_ORIGINS", new JsonArray().add("https://agents.example.com").encode(),
        "BATON_HEADERS_CORS_MAX_AGE_SECONDS", "300"))) {
      HttpResponse<Buffer> preflight = Await.result(baton.client.request(HttpMethod.OPTIONS, "/api/v1/handoff")
          .putHeader("Origin", "https://agents.example.com")
          .putHeader("Access-Control-Request-Method", "POST")
          .putHeader("Access-Control-Request-Headers", "content-type,idempotency-key")
          .send());

      assertThat(preflight.statusCode()).isEqualTo(204);
      assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://agents.example.com");
      assertThat(preflight.getHeader("Access-Control-Allow-Methods")).contains("POST");
      assertThat(preflight.getHeader("Access-Control-Allow-Headers").toLowerCase()).contains("idempotency-key");
      assertThat(preflight.getHeader("Access-Control-Max-Age")).isEqualTo("300");

      HttpResponse<Buffer> allowed = Await.result(baton.client.get("/api/v1/handoffs")
          .putHeader("Origin", "https://agents.example.com").send());
      assertThat(allowed.statusCode()).isEqualTo(200);
      assertThat(allowed.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://agents.example.com");
      assertThat(allowed.getHeader("Access-Control-Expose-Headers")).contains("X-Request-Id", "RateLimit");

      HttpResponse<Buffer> other = Await.result(baton.client.get("/api/v1/handoffs")
          .putHeader("Origin", "https://evil.example.net").send());
      assertThat(other.getHeader("Access-Control-Allow-Origin")).isNull();
      assertThat(other.statusCode()).isEqualTo(403);
      assertThat(other.getHeader("Content-Type")).isEqualTo("application/problem+json");

      HttpClient http = baton.vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(baton.port));
      try (SseStream stream = SseStream.open(http, "/api/v1/events",
          Map.of("Origin", "https://agents.example.com"))) {
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().get("Access-Control-Allow-Origin")).isEqualTo("https://agents.example.com");
        assertThat(stream.headers().get("Content-Type")).startsWith("text/event-stream");

        HttpResponse<Buffer> created = Await.result(baton.client.post("/api/v1/handoff")
            .putHeader("Origin", "https://agents.example.com")
            .sendJsonObject(new JsonObject().put("conversation_id", "conv-cors").put("user_id", "u-1")
                .put("messages", new JsonArray().add(new JsonObject().put("content", "help").put("speaker", "user")))));
        assertThat(created.statusCode()).isEqualTo(200);
        stream.await(frame -> "conv-cors".equals(frame.data() == null ? null
            : frame.data().getString("conversation_id")), Duration.ofSeconds(10));
      } finally {
        http.close();
      }
    }
  }
}
