package io.baton.operator;

import io.baton.bus.Addresses;
import io.baton.bus.BusHandlers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The operator capability on the bus: ownership, transitions, timelines, the queue. */
public final class OperatorVerticle extends VerticleBase {

  private final OperatorService service;

  public OperatorVerticle(OperatorService service) {
    this.service = service;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    List<MessageConsumer<JsonObject>> consumers = List.of(
        BusHandlers.serve(bus, Addresses.OPERATOR_ASSIGN,
            m -> service.assign(BusHandlers.tenant(m),
                m.body().getString("handoff_id"), m.body().getString("agent_id"))),
        BusHandlers.serve(bus, Addresses.OPERATOR_RELEASE,
            m -> service.release(BusHandlers.tenant(m), m.body().getString("handoff_id"))),
        BusHandlers.serve(bus, Addresses.OPERATOR_RESOLVE,
            m -> service.resolve(BusHandlers.tenant(m),
                m.body().getString("handoff_id"), m.body().getString("resolution"))),
        BusHandlers.serve(bus, Addresses.OPERATOR_ANSWER,
            m -> service.answer(BusHandlers.tenant(m),
                m.body().getString("handoff_id"), m.body().getJsonObject("body"))),
        BusHandlers.serve(bus, Addresses.OPERATOR_PUT_AGENT,
            m -> service.putAgent(BusHandlers.tenant(m),
                m.body().getString("agent_id"), m.body().getJsonObject("body"))),
        BusHandlers.serve(bus, Addresses.OPERATOR_AGENT,
            m -> service.agent(BusHandlers.tenant(m), m.body().getString("agent_id"))),
        BusHandlers.serve(bus, Addresses.OPERATOR_AGENTS, m -> service.agents(BusHandlers.tenant(m))),
        BusHandlers.serve(bus, Addresses.OPERATOR_CONVERSATION,
            m -> service.conversation(BusHandlers.tenant(m), m.body().getString("conversation_id"))),
        BusHandlers.serve(bus, Addresses.OPERATOR_OWNERS, m -> service.owners(BusHandlers.tenant(m), m.body())),
        BusHandlers.serve(bus, Addresses.OPERATOR_REQUEST_HANDOFF,
            m -> service.requestHandoff(BusHandlers.tenant(m),
                m.body().getString("conversation_id"), m.body().getJsonObject("body"),
                m.headers().get(Addresses.REQUEST_ID_HEADER))),
        BusHandlers.serve(bus, Addresses.OPERATOR_ASSIGN_CONVERSATION,
            m -> service.assignConversation(BusHandlers.tenant(m),
                m.body().getString("conversation_id"), m.body().getString("agent_id"))),
        BusHandlers.serve(bus, Addresses.OPERATOR_RELEASE_CONVERSATION,
            m -> service.releaseConversation(BusHandlers.tenant(m), m.body().getString("conversation_id"))),
        BusHandlers.serve(bus, Addresses.OPERATOR_QUEUE,
            m -> service.queue(BusHandlers.tenant(m), m.body().getString("queue"), m.body().getString("agent_id"),
                m.body().getInteger("limit"))),
        BusHandlers.serve(bus, Addresses.OPERATOR_ADD_MESSAGE,
            m -> service.addMessage(BusHandlers.tenant(m),
                m.body().getString("conversation_id"), m.body().getJsonObject("body"))),
        BusHandlers.serve(bus, Addresses.OPERATOR_MESSAGES,
            m -> service.messages(BusHandlers.tenant(m),
                m.body().getString("conversation_id"), m.body().getInteger("page"),
                m.body().getInteger("page_size"))),
        BusHandlers.serve(bus, Addresses.OPERATOR_TAKEOVER, m -> service.takeOver(BusHandlers.tenant(m), m.body())),
        BusHandlers.serve(bus, Addresses.OPERATOR_HANDBACK, m -> service.handBack(BusHandlers.tenant(m), m.body())),
        BusHandlers.serve(bus, Addresses.OPERATOR_MESSAGE,
            m -> service.operatorMessage(BusHandlers.tenant(m), m.body())),
        BusHandlers.serve(bus, Addresses.OPERATOR_ADD_MESSAGES,
            m -> service.addMessages(BusHandlers.tenant(m), m.body())),
        BusHandlers.serve(bus, Addresses.OPERATOR_CLEAR_AWAITING, m -> service.clearAwaiting(m.body())),
        BusHandlers.serve(bus, Addresses.OPERATOR_CLAIM_AWAITING, m -> service.claimAwaiting(m.body())),
        BusHandlers.serve(bus, Addresses.OPERATOR_DELIVERY_STATUS,
            m -> service.deliveryStatus(BusHandlers.tenant(m), m.body())),
        BusHandlers.serve(bus, Addresses.OPERATOR_AUTO_ASSIGN,
            m -> service.autoAssignQueue(BusHandlers.tenant(m), m.body().getString("queue"))),
        BusHandlers.serve(bus, Addresses.OPERATOR_STANDING,
            m -> service.standing(BusHandlers.tenant(m), m.body().getString("handoff_id"))));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }
}
