package io.baton.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.api.Contract;
import io.baton.security.AccessRules.Rule;
import io.baton.security.AccessRules.Source;
import io.baton.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The contract is the one source of who may call what; start-up refuses a contract that leaves a gap. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class AccessRulesTest {

  private Vertx vertx;
  private Contract contract;

  @BeforeAll
  void load() {
    vertx = Vertx.vertx();
    contract = Await.result(Contract.load(vertx));
  }

  @AfterAll
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void onlyHealthReadinessMetricsAndSignedWebhooksArePublic() {
    Map<String, Rule> rules = AccessRules.from(contract.openApi()).all();

    Set<String> open = rules.values().stream().filter(Rule::isPublic).map(Rule::operationId).collect(Collectors.toSet());

    // /metrics is public like /health: a Prometheus server scrapes it without credentials.
    assertThat(open).containsExactlyInAnyOrder("health", "ready", "metrics", "verifyWhatsAppWebhook", "receiveWhatsAppWebhook",
        "verifyWebhook", "receiveWebhook", "verifyMessengerWebhook", "receiveMessengerWebhook", "twitterCrc",
        "receiveTwitterWebhook", "chatbotHandoff");
    assertThat(rules).hasSize(contract.openApi().operations().size());
  }

  @Test
  void everySecuredOperationAdmitsTheAdminAndOnlyStreamsReadTheQuery() {
    for (Rule rule : AccessRules.from(contract.openApi()).all().values()) {
      if (rule.isPublic()) {
        continue;
      }
      assertThat(rule.roles()).as(rule.operationId()).contains(Role.ADMIN);
      assertThat(rule.sources()).as(rule.operationId()).contains(Source.AUTHORIZATION_BEARER, Source.API_KEY_HEADER);
      assertThat(rule.sources().contains(Source.ACCESS_TOKEN_QUERY)).as(rule.operationId())
          .isEqualTo(rule.operationId().startsWith("stream"));
    }
  }

  @Test
  void rolesFollowTheIssue() {
    Map<String, Rule> rules = AccessRules.from(contract.openApi()).all();

    assertThat(rules.get("createHandoff").roles()).containsExactlyInAnyOrder(Role.PLATFORM, Role.ADMIN);
    assertThat(rules.get("checkHandoff").roles()).containsExactlyInAnyOrder(Role.PLATFORM, Role.ADMIN);
    assertThat(rules.get("getHandoff").roles()).contains(Role.PLATFORM, Role.AGENT);
    assertThat(rules.get("assignHandoff").roles()).containsExactlyInAnyOrder(Role.AGENT, Role.ADMIN);
    assertThat(rules.get("answerHandoff").roles()).containsExactlyInAnyOrder(Role.AGENT, Role.ADMIN);
    assertThat(rules.get("streamEvents").roles()).containsExactlyInAnyOrder(Role.AGENT, Role.ADMIN);
    assertThat(rules.get("putAgent").roles()).containsExactly(Role.ADMIN);
  }

  @Test
  void anOperationWithoutSecurityStopsStartUp() {
    JsonObject raw = Contract.forRouterCopy(contract.raw().toString());
    raw.getJsonObject("paths").getJsonObject("/api/v1/agents").getJsonObject("get").remove(Contract.ROUTER_SECURITY);
    OpenAPIContract broken = Await.result(OpenAPIContract.from(vertx, raw));

    assertThatThrownBy(() -> AccessRules.from(broken)).hasMessageContaining("listAgents").hasMessageContaining("security");
  }

  @Test
  void aSecuredOperationWithoutRolesOrWithoutAdminStopsStartUp() {
    JsonObject raw = Contract.forRouterCopy(contract.raw().toString());
    raw.getJsonObject("paths").getJsonObject("/api/v1/agents").getJsonObject("get").remove("x-baton-roles");
    OpenAPIContract noRoles = Await.result(OpenAPIContract.from(vertx, raw));
    JsonObject raw2 = Contract.forRouterCopy(contract.raw().toString());
    raw2.getJsonObject("paths").getJsonObject("/api/v1/agents").getJsonObject("get")
        .put("x-baton-roles", new JsonArray().add("agent"));
    OpenAPIContract noAdmin = Await.result(OpenAPIContract.from(vertx, raw2));

    assertThatThrownBy(() -> AccessRules.from(noRoles)).hasMessageContaining("x-baton-roles");
    assertThatThrownBy(() -> AccessRules.from(noAdmin)).hasMessageContaining("admin");
  }
}
