package io.baton.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The contract and its Swagger UI are served by Baton itself, with nothing from a CDN. */
@Timeout(60)
class ServedContractTest {

  private static BatonInstance baton;

  @BeforeAll
  static void start() {
    baton = BatonInstance.memory(Map.of());
  }

  @AfterAll
  static void stop() {
    baton.close();
  }

  private static HttpResponse<Buffer> get(String path) {
    return Await.result(baton.client.get(path).send());
  }

  @Test
  void openapiYamlIsTheFileOfTheRepository() throws Exception {
    HttpResponse<Buffer> response = get("/openapi.yaml");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/yaml");
    assertThat(response.bodyAsString()).isEqualTo(Files.readString(Path.of("openapi.yaml")));
  }

  @Test
  void docsServeSwaggerUiFromTheJarPointedAtTheContract() {
    HttpResponse<Buffer> page = get("/docs/");
    HttpResponse<Buffer> bundle = get("/docs/swagger-ui-bundle.js");
    HttpResponse<Buffer> initializer = get("/docs/swagger-initializer.js");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.bodyAsString()).contains("swagger-ui-bundle.js").doesNotContain("https://");
    assertThat(bundle.statusCode()).isEqualTo(200);
    assertThat(bundle.body().length()).isGreaterThan(100_000);
    assertThat(initializer.bodyAsString()).contains("\"/openapi.yaml\"");
    HttpResponse<Buffer> bare = Await.result(baton.client.get("/docs").followRedirects(false).send());
    assertThat(bare.statusCode()).isEqualTo(302);
    assertThat(bare.getHeader("Location")).isEqualTo("/docs/");
  }
}
