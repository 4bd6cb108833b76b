package io.baton.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.config.BatonConfig;
import io.baton.support.Await;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every operation of openapi.yaml has a handler: an unbound one would answer 503 forever. */
class ContractBindingTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  private io.vertx.openapi.contract.OpenAPIContract contract() {
    return Await.result(Contract.load(vertx)).openApi();
  }

  private RouterBuilder builder() {
    return RouterBuilder.create(vertx, contract());
  }

  private Map<String, Handler<RoutingContext>> handlers() {
    BusCalls bus = new BusCalls(vertx.eventBus(), Duration.ofSeconds(1));
    return HttpVerticle.operations(bus,
        new EventStreams(vertx, bus, BatonConfig.from(new JsonObject(), Map.of()).sse(), new StreamLimits(1, 1)),
        vertx.eventBus(), Duration.ofSeconds(1));
  }

  @Test
  void everyOperationIdIsBound() {
    RouterBuilder builder = builder();
    HttpVerticle.bindOperations(builder, contract(), handlers());

    assertThat(builder.getRoutes()).isNotEmpty().allSatisfy(route ->
        assertThat(route.getHandlers()).as(route.getOperation().getOperationId()).isNotEmpty());
    assertThat(builder.getRoutes()).extracting(r -> r.getOperation().getOperationId())
        .containsExactlyInAnyOrderElementsOf(handlers().keySet());
  }

  @Test
  void anUnboundOperationStopsStartUp() {
    Map<String, Handler<RoutingContext>> missingOne = new HashMap<>(handlers());
    missingOne.remove("getHandoff");

    assertThatThrownBy(() -> HttpVerticle.bindOperations(builder(), contract(), missingOne))
        .hasMessageContaining("unbound operations [getHandoff]");
  }

  @Test
  void aHandlerWithoutAnOperationStopsStartUp() {
    Map<String, Handler<RoutingContext>> extra = new HashMap<>(handlers());
    extra.put("noSuchOperation", RoutingContext::next);

    assertThatThrownBy(() -> HttpVerticle.bindOperations(builder(), contract(), extra))
        .hasMessageContaining("[noSuchOperation]");
  }

}
