package io.baton.bus;

import java.util.Arrays;

/**
 * The one list of failures that cross the event bus. Capabilities fail a message with
 * {@code message.fail(error.code(), detail)}; the HTTP layer maps the code back to a status in
 * one place.
 */
public enum BatonError {
  BAD_REQUEST(4000, 400, "Bad Request"),
  UNAUTHORIZED(4010, 401, "Unauthorized"),
  FORBIDDEN(4030, 403, "Forbidden"),
  NOT_FOUND(4040, 404, "Not Found"),
  CONFLICT(4090, 409, "Conflict"),
  CONTENT_TOO_LARGE(4130, 413, "Content Too Large"),
  UNPROCESSABLE(4220, 422, "Unprocessable Content"),
  TOO_MANY_REQUESTS(4290, 429, "Too Many Requests"),
  INTERNAL(5000, 500, "Internal Server Error"),
  UPSTREAM_FAILED(5020, 502, "Bad Gateway"),
  UNAVAILABLE(5030, 503, "Service Unavailable"),
  TIMEOUT(5040, 504, "Gateway Timeout");

  private final int code;
  private final int httpStatus;
  private final String title;

  BatonError(int code, int httpStatus, String title) {
    this.code = code;
    this.httpStatus = httpStatus;
    this.title = title;
  }

  public int code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String title() {
    return title;
  }

  /** Unknown codes are internal errors: a failure nobody classified is a bug, not the caller's fault. */
  public static BatonError fromCode(int code) {
    return Arrays.stream(values()).filter(e -> e.code == code).findFirst().orElse(INTERNAL);
  }

  public static BatonError fromHttpStatus(int status) {
    return Arrays.stream(values()).filter(e -> e.httpStatus == status).findFirst().orElse(INTERNAL);
  }
}
