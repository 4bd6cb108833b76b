package io.baton.api;

import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.bus.Failures;
import io.netty.handler.codec.DecoderException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error answer is written here, as {@code application/problem+json} with {@code status},
 * {@code title}, {@code detail} and {@code request_id}. This is the one place where failures
 * become HTTP statuses.
 */
public final class Problems {

  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  static final String CONTENT_TYPE = "application/problem+json";
  /** Seconds a client should wait before retrying a 503. */
  static final String RETRY_AFTER_SECONDS = "1";

  private static final Pattern MISSING_PROPERTY = Pattern.compile("does not have required property \"([^\"]+)\"");
  /** Errors that only say "something below me failed"; the leaf errors say what. */
  private static final Pattern WRAPPER =
      Pattern.compile("does not match schema$|^A subschema had errors$|did not match schema$");
  private static final Pattern PARAMETER = Pattern.compile("parameter (\\S+) is invalid");

  private Problems() {
  }

  /** The router's failure handler: whatever failed, the client gets a problem, never a stack trace. */
  public static void handleFailure(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      // Too late for a problem body (a stream already started): just end the exchange.
      ctx.response().reset();
      return;
    }
    Throwable failure = ctx.failure();
    if (failure instanceof DecoderException undecodable) {
      // A body Netty could not decode; forms are refused before this (HttpVerticle.noFormBodies).
      write(ctx, BatonError.BAD_REQUEST, 400, "The request body could not be read ("
          + undecodable.getClass().getSimpleName().replace("Exception", "") + "); send application/json", null);
    } else if (failure instanceof HttpException http && http.getCause() instanceof ValidatorException invalid) {
      writeValidation(ctx, invalid);
    } else if (failure instanceof HttpException http) {
      write(ctx, BatonError.fromHttpStatus(http.getStatusCode()), http.getStatusCode(), detailFor(http, ctx), null);
    } else if (failure == null) {
      int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      write(ctx, BatonError.fromHttpStatus(status), status, detailFor(status, ctx), null);
    } else if (!(failure instanceof BatonException) && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      // A web handler refused the request with a status and an exception of its own (CORS: a foreign origin).
      int status = ctx.statusCode();
      String detail = failure.getMessage() != null && failure.getMessage().startsWith("CORS Rejected")
          ? "The origin " + ctx.request().getHeader("Origin") + " is not allowed (headers.cors.allowed_origins)"
          : detailFor(status, ctx);
      write(ctx, BatonError.fromHttpStatus(status), status, detail, null);
    } else {
      BatonException classified = Failures.classify(failure);
      if (classified.error() == BatonError.INTERNAL && !(failure instanceof BatonException)) {
        LOG.error("Unexpected failure on {} {} (request {})", ctx.request().method(), ctx.request().path(),
            RequestIds.of(ctx), failure);
      }
      write(ctx, classified);
    }
  }

  public static void write(RoutingContext ctx, BatonException problem) {
    write(ctx, problem.error(), problem.error().httpStatus(), problem.detail(), problem.extensions());
  }

  static void write(RoutingContext ctx, BatonError error, int status, String detail, JsonObject extensions) {
    JsonObject body = extensions == null ? new JsonObject() : extensions.copy();
    body.put("type", "about:blank")
        .put("title", error.httpStatus() == status ? error.title() : titleOf(status))
        .put("status", status)
        .put("detail", detail)
        .put("request_id", RequestIds.of(ctx));
    HttpServerResponse response = ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", CONTENT_TYPE);
    if (status == 503) {
      response.putHeader("Retry-After", RETRY_AFTER_SECONDS);
    }
    response.end(body.toBuffer());
  }

  /**
   * Unparseable bodies and wrong content types are the client's syntax (400); a well-formed body or
   * parameter that breaks the contract is 422, with one {@code errors[]} entry per violation.
   */
  private static void writeValidation(RoutingContext ctx, ValidatorException invalid) {
    if (invalid instanceof SchemaValidationException schema) {
      JsonArray errors = fieldErrors(schema);
      write(ctx, BatonError.UNPROCESSABLE, 422, summary(errors), new JsonObject().put("errors", errors));
      return;
    }
    boolean syntax = invalid.type() == ValidatorErrorType.ILLEGAL_VALUE
        || invalid.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT
        || invalid.getMessage().contains("does not contain the required body");
    if (syntax) {
      String detail = invalid.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT
          ? "The request body must be application/json"
          : invalid.getMessage().contains("required body") ? "The request body is required" : invalid.getMessage();
      write(ctx, BatonError.BAD_REQUEST, 400, detail, null);
    } else {
      write(ctx, BatonError.UNPROCESSABLE, 422, invalid.getMessage(), null);
    }
  }

  /**
   * One entry per violation, with the field as a JSON pointer into the body ("/messages/0/speaker"),
   * or the parameter's name. A missing property is reported at its own path, not its parent's.
   */
  private static JsonArray fieldErrors(SchemaValidationException schema) {
    Matcher parameter = PARAMETER.matcher(schema.getMessage());
    String parameterName = parameter.find() ? parameter.group(1) : null;
    OutputUnit root = schema.getOutputUnit();
    List<OutputUnit> units = root.getErrors() == null || root.getErrors().isEmpty() ? List.of(root) : root.getErrors();
    JsonArray errors = new JsonArray();
    for (OutputUnit unit : units) {
      String pointer = unit.getInstanceLocation() == null ? "" : unit.getInstanceLocation().replaceFirst("^#", "");
      Matcher missing = MISSING_PROPERTY.matcher(unit.getError());
      String field;
      String message;
      if (missing.find()) {
        field = pointer + "/" + missing.group(1);
        message = "is required";
      } else {
        field = pointer.isEmpty() ? "/" : pointer;
        message = unit.getError();
      }
      if (parameterName != null) {
        field = parameterName + (pointer.isEmpty() ? "" : pointer);
      }
      JsonObject entry = new JsonObject().put("field", field).put("message", message);
      if (!WRAPPER.matcher(message).find() && !errors.contains(entry)) {
        errors.add(entry);
      }
    }
    if (errors.isEmpty()) {
      errors.add(new JsonObject().put("field", parameterName != null ? parameterName : "/").put("message",
          schema.getMessage()));
    }
    return errors;
  }

  private static String summary(JsonArray errors) {
    StringBuilder detail = new StringBuilder("The request is invalid: ");
    for (int i = 0; i < errors.size(); i++) {
      JsonObject error = errors.getJsonObject(i);
      detail.append(i == 0 ? "" : "; ").append(error.getString("field")).append(": ").append(error.getString("message"));
    }
    return detail.toString();
  }

  private static String detailFor(HttpException http, RoutingContext ctx) {
    String message = http.getPayload();
    // Only a 413 says more with the request at hand (its route group's limit).
    return message != null && !message.isBlank() ? message
        : detailFor(http.getStatusCode(), http.getStatusCode() == 413 ? ctx : null);
  }

  private static String detailFor(int status, RoutingContext ctx) {
    return switch (status) {
      case 400 -> "The request is malformed";
      case 404 -> ctx == null ? "Not found" : "No resource at " + ctx.request().path();
      case 405 -> ctx == null ? "Method not allowed" : ctx.request().method() + " is not allowed on " + ctx.request().path();
      case 413 -> ctx == null || ctx.get(HttpVerticle.BODY_LIMIT) == null ? "The request body is larger than the limit"
          : "The request body is larger than the limit of " + ctx.get(HttpVerticle.BODY_LIMIT);
      case 415 -> "The request body must be application/json";
      case 431 -> "The request headers are too large";
      default -> status >= 500 ? "An unexpected error occurred" : "The request cannot be served";
    };
  }

  private static String titleOf(int status) {
    return switch (status) {
      case 405 -> "Method Not Allowed";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 415 -> "Unsupported Media Type";
      case 431 -> "Request Header Fields Too Large";
      default -> BatonError.fromHttpStatus(status).title();
    };
  }
}
