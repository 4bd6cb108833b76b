package io.baton.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.config.BatonConfig.GroupQuotas;
import io.baton.config.BatonConfig.Quota;
import io.baton.config.BatonConfig.RateLimitsConfig;
import io.baton.config.BatonConfig.RateStore;
import io.baton.config.BatonConfig.RedisFailure;
import io.baton.limits.MemoryRateLimiter;
import io.baton.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How an authentication handler plugs in: it leaves the verified identity under
 * {@link RateLimitKey#IDENTITY}, and the request then counts against its key and its tenant, not its
 * address. The stand-in handler here trusts two test headers, as a real one would trust a verified key.
 */
@Timeout(30)
class RateLimitIdentityTest {

  private Vertx vertx;
  private WebClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Duration window = Duration.ofSeconds(600);
    RateLimitsConfig config = new RateLimitsConfig(true, RateStore.MEMORY, RedisFailure.LOCAL, 1_000, Map.of(
        "api", new GroupQuotas(new Quota(2, window), new Quota(3, window), new Quota(1, window))));
    Router router = Router.router(vertx);
    router.route().handler(new RequestIds());
    router.route().handler(ctx -> {
      String key = ctx.request().getHeader("X-Test-Key");
      if (key != null) {
        ctx.put(RateLimitKey.IDENTITY, new RateLimitKey.Identity(key, ctx.request().getHeader("X-Test-Tenant")));
      }
      ctx.next();
    });
    router.route().handler(RateLimits.forGroup(RouteGroup.API, config, new MemoryRateLimiter(Clock.systemUTC(), 1_000)));
    router.route().handler(ctx -> ctx.end("ok"));
    router.route().failureHandler(Problems::handleFailure);
    HttpServer server = Await.result(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(server.actualPort()));
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  private HttpResponse<Buffer> call(String key, String tenant) {
    return Await.result(client.get("/api/v1/handoffs").putHeader("X-Test-Key", key)
        .putHeader("X-Test-Tenant", tenant).send());
  }

  @Test
  void aVerifiedCredentialCountsAgainstItsKeyAndTenantAndNotItsAddress() {
    HttpResponse<Buffer> a1 = call("key-a", "tenant-1");
    HttpResponse<Buffer> a2 = call("key-a", "tenant-1");
    HttpResponse<Buffer> a3 = call("key-a", "tenant-1");
    HttpResponse<Buffer> b1 = call("key-b", "tenant-1");
    HttpResponse<Buffer> b2 = call("key-b", "tenant-1");
    HttpResponse<Buffer> otherTenant = call("key-c", "tenant-2");

    // The address's quota is 1: it does not apply to verified requests.
    assertThat(a1.statusCode()).isEqualTo(200);
    assertThat(a1.getHeader("RateLimit-Policy")).isEqualTo("\"api-key\";q=2;w=600, \"api-tenant\";q=3;w=600");
    assertThat(a2.statusCode()).isEqualTo(200);
    assertThat(a3.statusCode()).isEqualTo(429);
    assertThat(a3.bodyAsJsonObject().getString("policy")).isEqualTo("api-key");
    assertThat(b1.statusCode()).isEqualTo(200);
    assertThat(b2.statusCode()).isEqualTo(429);
    assertThat(b2.bodyAsJsonObject().getString("policy")).isEqualTo("api-tenant");
    assertThat(b2.bodyAsJsonObject().getString("detail")).contains("per tenant");
    assertThat(otherTenant.statusCode()).isEqualTo(200);
  }
}
