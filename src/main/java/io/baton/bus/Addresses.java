package io.baton.bus;

/** Event-bus addresses, named {@code <capability>.<cmd|evt>.<name>}. */
public final class Addresses {

  public static final String HANDOFF_CHECK = "handoff.cmd.check";
  public static final String HANDOFF_CREATE = "handoff.cmd.create";
  public static final String HANDOFF_GET = "handoff.cmd.get";
  public static final String HANDOFF_LIST = "handoff.cmd.list";
  public static final String HANDOFF_CANCEL = "handoff.cmd.cancel";

  public static final String OPS_READINESS = "ops.cmd.readiness";

  /** Message header that carries the HTTP request's id across the bus, for logs. */
  public static final String REQUEST_ID_HEADER = "request-id";

  private Addresses() {
  }
}
