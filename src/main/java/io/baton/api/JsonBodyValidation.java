package io.baton.api;

import io.baton.bus.BatonException;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidationContext;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Validates an operation's JSON body and header parameters against the contract, with schema
 * validators built once at start-up.
 *
 * <p>vertx-openapi 5.0.8 builds a new schema validator for every request, copying every schema of
 * the contract each time; on a create that was a quarter of the CPU. This handler replaces the
 * router's validation on operations with a JSON body, and fails the same way the router does
 * (an {@link HttpException} around a {@link ValidatorException}), so problems read the same.
 */
final class JsonBodyValidation implements Handler<RoutingContext> {

  static final String VALIDATED_BODY = "baton.validated-body";
  private static final String JSON = "application/json";

  private final Validator body;
  private final boolean required;
  private final JsonLimits limits;
  private final Map<String, Validator> headers = new HashMap<>();
  private final Map<String, Validator> pathParameters = new HashMap<>();

  private JsonBodyValidation(Validator body, boolean required, JsonLimits limits) {
    this.body = body;
    this.required = required;
    this.limits = limits;
  }

  /** The validation for an operation with a JSON request body; null when it has none. */
  static JsonBodyValidation forOperation(OpenAPIContract contract, Operation operation, JsonLimits limits) {
    if (operation.getRequestBody() == null) {
      return null;
    }
    MediaType json = operation.getRequestBody().getContent().get(JSON);
    if (json == null) {
      throw new IllegalStateException(operation.getOperationId() + ": only JSON bodies are validated here");
    }
    JsonBodyValidation validation = new JsonBodyValidation(contract.getSchemaRepository().validator(json.getSchema()),
        operation.getRequestBody().isRequired(), limits);
    for (Parameter parameter : operation.getParameters()) {
      boolean header = parameter.getIn() == io.vertx.openapi.contract.Location.HEADER;
      boolean path = parameter.getIn() == io.vertx.openapi.contract.Location.PATH;
      if (!(header || path) || !"string".equals(parameter.getSchema().get("type"))) {
        throw new IllegalStateException(operation.getOperationId() + ": parameter " + parameter.getName()
            + " is not a string header or path parameter, which this validation does not cover");
      }
      (header ? validation.headers : validation.pathParameters)
          .put(parameter.getName(), contract.getSchemaRepository().validator(parameter.getSchema()));
    }
    return validation;
  }

  @Override
  public void handle(RoutingContext ctx) {
    try {
      headers.forEach((name, validator) -> {
        String value = ctx.request().getHeader(name);
        if (value != null) {
          check(validator.validate(value), "header parameter " + name);
        }
      });
      pathParameters.forEach((name, validator) ->
          check(validator.validate(ctx.pathParam(name)), "path parameter " + name));
      if ((ctx.body() == null || ctx.body().isEmpty()) && !required) {
        // An optional body that was not sent: the handler sees no body.
        ctx.next();
        return;
      }
      if (ctx.body() == null || ctx.body().isEmpty()) {
        throw new ValidatorException("The related request does not contain the required body.",
            ValidatorErrorType.MISSING_REQUIRED_PARAMETER);
      }
      String contentType = ctx.request().getHeader("Content-Type");
      if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(JSON)) {
        throw new ValidatorException("The format of the request body is not supported",
            ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT);
      }
      String overLimit = limits.violation(ctx.body().buffer());
      if (overLimit != null) {
        ctx.fail(BatonException.unprocessable(overLimit));
        return;
      }
      Object value;
      try {
        value = Json.decodeValue(ctx.body().buffer());
      } catch (DecodeException e) {
        throw new ValidatorException("The request body can't be decoded", ValidatorErrorType.ILLEGAL_VALUE);
      }
      check(body.validate(value), null);
      ctx.put(VALIDATED_BODY, value);
      ctx.next();
    } catch (ValidatorException invalid) {
      ctx.fail(new HttpException(400, invalid.getMessage(), invalid));
    }
  }

  private static void check(OutputUnit result, String parameter) {
    try {
      result.checkValidity();
    } catch (JsonSchemaValidationException e) {
      throw parameter == null
          ? SchemaValidationException.createInvalidValueBody(result, ValidationContext.REQUEST, e)
          : new SchemaValidationException("The value of " + parameter + " is invalid", ValidatorErrorType.INVALID_VALUE,
              result, e);
    }
  }
}
