package io.baton.api;

import static java.util.Map.entry;

import io.baton.bus.Addresses;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** The operators and conversations tags of the contract: HTTP in, a bus command out, the reply back. */
final class OperatorApi {

  private final BusCalls bus;

  private OperatorApi(BusCalls bus) {
    this.bus = bus;
  }

  static Map<String, Handler<RoutingContext>> operations(BusCalls bus) {
    OperatorApi api = new OperatorApi(bus);
    return Map.ofEntries(
        entry("assignHandoff", api::assign),
        entry("releaseHandoff", api::release),
        entry("resolveHandoff", api::resolve),
        entry("answerHandoff", ctx -> bus.respond(ctx, Addresses.OPERATOR_ANSWER,
            handoff(ctx).put("body", Requests.body(ctx)))),
        entry("putAgent", ctx -> bus.respond(ctx, Addresses.OPERATOR_PUT_AGENT,
            agentOf(ctx).put("body", Requests.body(ctx)))),
        entry("getAgent", ctx -> bus.respond(ctx, Addresses.OPERATOR_AGENT, agentOf(ctx))),
        entry("listAgents", ctx -> bus.respond(ctx, Addresses.OPERATOR_AGENTS, new JsonObject())),
        entry("getConversation", api::conversation),
        entry("requestConversationHandoff", api::requestHandoff),
        entry("assignConversationHandoff", api::assignConversation),
        entry("releaseConversationHandoff", api::releaseConversation),
        entry("getHandoffQueue", api::queue),
        entry("addConversationMessage", api::addMessage),
        entry("listConversationMessages", api::messages),
        entry("takeover", ctx -> bus.respond(ctx, Addresses.OPERATOR_TAKEOVER, Requests.body(ctx))),
        entry("handback", ctx -> bus.respond(ctx, Addresses.OPERATOR_HANDBACK, Requests.body(ctx))),
        entry("sendOperatorMessage", ctx -> bus.respond(ctx, Addresses.OPERATOR_MESSAGE, Requests.body(ctx))));
  }

  private void assign(RoutingContext ctx) {
    bus.respond(ctx, Addresses.OPERATOR_ASSIGN, handoff(ctx).put("agent_id", Requests.body(ctx).getString("agent_id")));
  }

  private void release(RoutingContext ctx) {
    bus.respond(ctx, Addresses.OPERATOR_RELEASE, handoff(ctx));
  }

  private void resolve(RoutingContext ctx) {
    bus.respond(ctx, Addresses.OPERATOR_RESOLVE, handoff(ctx).put("resolution", Requests.body(ctx).getString("resolution")));
  }

  private void conversation(RoutingContext ctx) {
    bus.respond(ctx, Addresses.OPERATOR_CONVERSATION, conversationOf(ctx));
  }

  private void requestHandoff(RoutingContext ctx) {
    bus.respond(ctx, Addresses.OPERATOR_REQUEST_HANDOFF, conversationOf(ctx).put("body", Requests.body(ctx)));
  }

  private void assignConversation(RoutingContext ctx) {
    bus.respond(ctx, Addresses.OPERATOR_ASSIGN_CONVERSATION,
        conversationOf(ctx).put("agent_id", Requests.body(ctx).getString("agent_id")));
  }

  private void releaseConversation(RoutingContext ctx) {
    bus.respond(ctx, Addresses.OPERATOR_RELEASE_CONVERSATION, conversationOf(ctx));
  }

  private void queue(RoutingContext ctx) {
    bus.respond(ctx, Addresses.OPERATOR_QUEUE, Requests.query(ctx));
  }

  private void addMessage(RoutingContext ctx) {
    // media and user_id are for channel traffic, which arrives over the bus, not from API clients.
    JsonObject body = Requests.body(ctx).copy();
    body.remove("media");
    body.remove("user_id");
    bus.respond(ctx, Addresses.OPERATOR_ADD_MESSAGE, conversationOf(ctx).put("body", body));
  }

  private void messages(RoutingContext ctx) {
    bus.respond(ctx, Addresses.OPERATOR_MESSAGES, Requests.query(ctx).mergeIn(conversationOf(ctx)));
  }

  private static JsonObject handoff(RoutingContext ctx) {
    return new JsonObject().put("handoff_id", ctx.pathParam("handoff_id"));
  }

  private static JsonObject agentOf(RoutingContext ctx) {
    return new JsonObject().put("agent_id", ctx.pathParam("agent_id"));
  }

  private static JsonObject conversationOf(RoutingContext ctx) {
    return new JsonObject().put("conversation_id", ctx.pathParam("conversation_id"));
  }


}
