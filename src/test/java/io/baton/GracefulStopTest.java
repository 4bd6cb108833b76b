package io.baton;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.storage.PgStorage;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Stopping while creates are in flight loses nothing that was acknowledged. */
@Timeout(120)
class GracefulStopTest {

  /** The tenant the cases act in (tenant cases add others). */
  static final String T = "default";

  @Test
  void everyAcknowledgedCreateSurvivesAStopUnderLoad() {
    BatonInstance baton = BatonInstance.postgres(Map.of());
    Vertx clientVertx = Vertx.vertx();
    WebClient client = WebClient.create(clientVertx,
        new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(baton.port),
        new PoolOptions().setHttp1MaxSize(32));
    List<Future<HttpResponse<Buffer>>> requests = new ArrayList<>();
    Promise<Void> firstAnswer = Promise.promise();
    for (int i = 0; i < 400; i++) {
      JsonObject body = new JsonObject().put("conversation_id", "stop-" + i).put("user_id", "u")
          .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user").put("content", "hi")));
      Future<HttpResponse<Buffer>> request = client.post("/api/v1/handoff").sendJsonObject(body);
      request.onSuccess(r -> firstAnswer.tryComplete());
      requests.add(request);
    }
    Await.result(firstAnswer.future());

    Await.result(baton.app.stop());
    Await.result(baton.vertx.close());
    Await.result(Future.join(requests).otherwiseEmpty());

    List<String> acknowledged = requests.stream()
        .filter(r -> r.succeeded() && r.result().statusCode() == 200)
        .map(r -> r.result().bodyAsJsonObject().getString("handoff_id"))
        .toList();
    assertThat(acknowledged).isNotEmpty();
    assertThat(requests).allSatisfy(r -> {
      if (r.succeeded()) {
        assertThat(r.result().statusCode()).as("answer during a stop").isIn(200, 503);
      }
    });
    Vertx checker = Vertx.vertx();
    PgStorage storage = PgStorage.connect(checker, baton.schema());
    for (String id : acknowledged) {
      assertThat(Await.result(storage.handoffs().get(T, id))).as(id).isPresent();
    }
    Await.result(storage.close());
    Await.result(checker.close());
    client.close();
    Await.result(clientVertx.close());
    TestServices.dropSchema(baton.schema());
  }
}
