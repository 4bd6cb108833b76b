package io.baton.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.api.Contract;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.util.HashMap;
import java.util.Map;

/** Validates real responses against openapi.yaml: status declared, headers and body per schema. */
public final class ContractCheck {

  private final ResponseValidator validator;
  private final OpenAPIContract openApi;

  public ContractCheck(Vertx vertx) {
    Contract contract = Await.result(Contract.load(vertx));
    OpenAPIContract openApi = contract.openApi();
    this.validator = ResponseValidator.create(vertx, openApi);
    this.openApi = openApi;
  }

  /** Fails the test unless the response is one the contract declares for the operation. */
  public HttpResponse<Buffer> validate(String operationId, HttpResponse<Buffer> response) {
    String contentType = response.getHeader("Content-Type");
    assertThat(response.getHeader("X-Request-Id")).as("X-Request-Id on every response").isNotBlank();
    if (response.statusCode() >= 400) {
      assertThat(contentType).isEqualTo("application/problem+json");
      assertThat(response.bodyAsJsonObject().getString("detail")).isNotBlank();
      assertThat(response.bodyAsJsonObject().getString("request_id")).isEqualTo(response.getHeader("X-Request-Id"));
      // The router's copy of the contract reads problem+json as JSON (see Contract).
      contentType = "application/json";
    }
    if (contentType != null && contentType.startsWith("text/plain")) {
      // vertx-openapi 5.0.8 cannot analyse plain-text bodies: check that the contract declares one here.
      var declared = openApi.operation(operationId).getResponse(response.statusCode());
      assertThat(declared).as("%s declares %s", operationId, response.statusCode()).isNotNull();
      assertThat(declared.getContent()).as("%s %s is text/plain", operationId, response.statusCode())
          .containsKey("text/plain");
      return response;
    }
    Map<String, String> headers = new HashMap<>();
    response.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
    ValidatableResponse validatable = ValidatableResponse.create(response.statusCode(), headers,
        response.body() == null ? Buffer.buffer() : response.body(), contentType);
    Await.result(validator.validate(validatable, operationId));
    return response;
  }
}
