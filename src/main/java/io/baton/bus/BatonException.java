package io.baton.bus;

import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * A classified failure of a capability. It crosses the bus as {@code fail(code, message)} where the
 * message is a small JSON object: {@code detail} plus optional extra members for the problem body
 * (the current state on a 409, for example).
 */
public final class BatonException extends RuntimeException {

  private final BatonError error;
  private final JsonObject extensions;

  public BatonException(BatonError error, String detail) {
    this(error, detail, new JsonObject());
  }

  public BatonException(BatonError error, String detail, JsonObject extensions) {
    super(detail, null, false, false);
    this.error = error;
    this.extensions = extensions;
  }

  public static BatonException notFound(String detail) {
    return new BatonException(BatonError.NOT_FOUND, detail);
  }

  public static BatonException unprocessable(String detail) {
    return new BatonException(BatonError.UNPROCESSABLE, detail);
  }

  public static BatonException conflict(String detail, JsonObject extensions) {
    return new BatonException(BatonError.CONFLICT, detail, extensions);
  }

  public BatonError error() {
    return error;
  }

  public String detail() {
    return getMessage();
  }

  /** Extra members of the problem body. */
  public JsonObject extensions() {
    return extensions;
  }

  /** The failure message as sent over the bus. */
  public String toBusMessage() {
    return extensions.copy().put("detail", detail()).encode();
  }

  /** Reads a failure message written by {@link #toBusMessage()}; plain text is taken as the detail. */
  public static BatonException fromBus(int code, String message) {
    BatonError error = BatonError.fromCode(code);
    if (message != null && message.startsWith("{")) {
      try {
        JsonObject body = new JsonObject(message);
        String detail = (String) body.remove("detail");
        return new BatonException(error, detail == null ? error.title() : detail, body);
      } catch (RuntimeException notJson) {
        // fall through: treat it as text
      }
    }
    return new BatonException(error, message == null ? error.title() : message);
  }

  /** Fails a bus message with this failure. */
  public void failMessage(Message<?> message) {
    message.fail(error.code(), toBusMessage());
  }
}
