package io.baton.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which consumer a command reaches: the one on the sender's event loop, while there is one. */
class NearbyTest {

  private static final String ADDRESS = "test.cmd.where";
  private static final DeliveryOptions OPTIONS = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  /** The deployment of each answering instance, by the event loop it runs on. */
  private final ConcurrentHashMap<String, String> deployments = new ConcurrentHashMap<>();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  /** Answers the name of the thread it runs on. */
  private final class Answerer extends VerticleBase {
    @Override
    public Future<?> start() {
      deployments.put(Thread.currentThread().getName(), context.deploymentID());
      return Nearby.consumer(vertx.eventBus(), ADDRESS, message -> message.reply(Thread.currentThread().getName()))
          .completion();
    }
  }

  /** A context on each event loop (as the HTTP verticle's instances are), to send from. */
  private List<Context> senders() {
    Set<String> loops = new HashSet<>();
    List<Context> senders = new ArrayList<>();
    Supplier<VerticleBase> sender = () -> new VerticleBase() {
      @Override
      public Future<?> start() {
        synchronized (senders) {
          if (loops.add(Thread.currentThread().getName())) {
            senders.add(context);
          }
        }
        return Future.succeededFuture();
      }
    };
    Await.result(vertx.deployVerticle(sender, new DeploymentOptions().setInstances(2)));
    assertThat(senders).hasSize(2);
    return senders;
  }

  private Future<String> ask(Context from) {
    Promise<String> answer = Promise.promise();
    from.runOnContext(v -> Nearby.<String>request(vertx.eventBus(), ADDRESS, "where?", OPTIONS).map(Message::body)
        .onComplete(answer));
    return answer.future();
  }

  private static String threadOf(Context context) {
    Promise<String> name = Promise.promise();
    context.runOnContext(v -> name.complete(Thread.currentThread().getName()));
    return Await.result(name.future());
  }

  @Test
  void aCommandIsAnsweredOnTheEventLoopThatSentIt() {
    List<Context> senders = senders();
    Await.result(vertx.deployVerticle(Answerer::new, new DeploymentOptions().setInstances(2)));

    for (Context sender : senders) {
      String loop = threadOf(sender);
      for (int i = 0; i < 10; i++) {
        // A plain send would go to the two instances in turn: half of these to the other loop.
        assertThat(Await.result(ask(sender))).isEqualTo(loop);
      }
    }
  }

  @Test
  void withoutAConsumerOnItsEventLoopACommandGoesToAnother() {
    List<Context> senders = senders();
    // Two deployments (one instance each), so that one can go: the event loops take them in turn.
    Await.result(vertx.deployVerticle(new Answerer()));
    Await.result(vertx.deployVerticle(new Answerer()));
    assertThat(deployments).hasSize(2);
    Context sender = senders.getFirst();
    String loop = threadOf(sender);
    assertThat(Await.result(ask(sender))).isEqualTo(loop);

    // The instance on the sender's loop goes (its loop still remembers it had one).
    Await.result(vertx.undeploy(deployments.get(loop)));

    String other = deployments.keySet().stream().filter(name -> !name.equals(loop)).findFirst().orElseThrow();
    assertThat(Await.result(ask(sender))).isEqualTo(other);
    assertThat(Await.result(ask(sender))).isEqualTo(other);
  }
}
