package io.baton.api;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * Requests the HTTP decoder could not read (a request line or headers over the limits, a malformed
 * request): answered as a problem, like every other error, instead of an empty body. The connection
 * is then closed, since what follows on it cannot be trusted to start a new request.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {

  private final SecurityHeaders headers;
  private final int maxHeaderSize;
  private final int maxInitialLineLength;

  InvalidRequests(SecurityHeaders headers, int maxHeaderSize, int maxInitialLineLength) {
    this.headers = headers;
    this.maxHeaderSize = maxHeaderSize;
    this.maxInitialLineLength = maxInitialLineLength;
  }

  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
    int status;
    String title;
    String detail;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      title = "URI Too Long";
      detail = "The request line is longer than " + maxInitialLineLength + " bytes (http.max_initial_line_length)";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      title = "Request Header Fields Too Large";
      detail = "The request headers are larger than " + maxHeaderSize + " bytes (http.max_header_size)";
    } else {
      status = 400;
      title = "Bad Request";
      detail = "The request is not valid HTTP";
    }
    String requestId = UUID.randomUUID().toString();
    JsonObject body = new JsonObject().put("type", "about:blank").put("title", title).put("status", status)
        .put("detail", detail).put("request_id", requestId);
    headers.apply(request.response(), null);
    request.response()
        .setStatusCode(status)
        .putHeader("Content-Type", Problems.CONTENT_TYPE)
        .putHeader(RequestIds.HEADER, requestId)
        .putHeader("Connection", "close")
        .end(body.toBuffer());
  }
}
