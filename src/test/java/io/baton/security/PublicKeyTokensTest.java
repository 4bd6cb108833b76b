package io.baton.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpResponse;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RS256 with keys from a JWKS url (a real HTTP server here), and ES256 with a PEM public key. */
@Timeout(60)
class PublicKeyTokensTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static String unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private String sign(String algorithm, KeyPair pair, JsonObject claims) {
    return sign(algorithm, "k1", pair, claims);
  }

  private String sign(String algorithm, String keyId, KeyPair pair, JsonObject claims) {
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().setPubSecKeys(List.of(new PubSecKeyOptions()
        .setAlgorithm(algorithm).setId(keyId).setBuffer(pem("PRIVATE KEY", pair.getPrivate().getEncoded())))));
    return signer.generateToken(claims, new JWTOptions().setAlgorithm(algorithm).setNoTimestamp(true)
        .setHeader(new JsonObject().put("kid", keyId)));
  }

  private static JsonObject jwk(String keyId, KeyPair pair) {
    RSAPublicKey publicKey = (RSAPublicKey) pair.getPublic();
    return new JsonObject().put("kty", "RSA").put("kid", keyId).put("use", "sig")
        .put("n", unsigned(publicKey.getModulus())).put("e", unsigned(publicKey.getPublicExponent()));
  }

  @Test
  void aRotatedKeyIsFetchedWhenATokenNamesItButNotMoreThanOnceInAWhile() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair first = generator.generateKeyPair();
    KeyPair second = generator.generateKeyPair();
    KeyPair third = generator.generateKeyPair();
    AtomicReference<JsonArray> published = new AtomicReference<>(new JsonArray().add(jwk("k1", first)));
    AtomicInteger fetches = new AtomicInteger();
    HttpServer identityProvider = Await.result(vertx.createHttpServer().requestHandler(request -> {
      fetches.incrementAndGet();
      request.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("keys", published.get()).encode());
    }).listen(0, "127.0.0.1"));
    Map<String, String> env = env("RS256");
    env.put("BATON_SECURITY_JWT_JWKS_URL", "http://127.0.0.1:" + identityProvider.actualPort() + "/jwks.json");

    try (BatonInstance baton = BatonInstance.memory(env)) {
      published.set(new JsonArray().add(jwk("k1", first)).add(jwk("k2", second)));
      assertThat(listAgents(baton, sign("RS256", "k2", second, Credentials.claims("default", "agent"))))
          .isEqualTo(200);
      assertThat(fetches.get()).isEqualTo(2);

      published.set(new JsonArray().add(jwk("k3", third)));
      assertThat(listAgents(baton, sign("RS256", "k3", third, Credentials.claims("default", "agent"))))
          .isEqualTo(401);
      assertThat(listAgents(baton, sign("RS256", "k9", third, Credentials.claims("default", "agent"))))
          .isEqualTo(401);
      assertThat(fetches.get()).as("a second unknown key within the gap fetches nothing").isEqualTo(2);
    }
  }

  private static Map<String, String> env(String algorithm) {
    Map<String, String> env = new HashMap<>();
    env.put("BATON_SECURITY_JWT_ALGORITHM", algorithm);
    env.put("BATON_SECURITY_JWT_ISSUER", Credentials.ISSUER);
    env.put("BATON_SECURITY_JWT_AUDIENCE", Credentials.AUDIENCE);
    return env;
  }

  private static int listAgents(BatonInstance baton, String token) {
    HttpResponse<Buffer> response = Await.result(baton.client.get("/api/v1/agents")
        .putHeader("Authorization", "Bearer " + token).send());
    return response.statusCode();
  }

  @Test
  void rs256TokensAreCheckedWithTheKeysOfTheJwksUrl() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    KeyPair stranger = generator.generateKeyPair();
    RSAPublicKey publicKey = (RSAPublicKey) pair.getPublic();
    JsonObject jwks = new JsonObject().put("keys", new JsonArray()
        .add(new JsonObject().put("kty", "RSA").put("kid", "k1").put("use", "sig")
            .put("n", unsigned(publicKey.getModulus())).put("e", unsigned(publicKey.getPublicExponent()))));
    AtomicInteger fetches = new AtomicInteger();
    HttpServer identityProvider = Await.result(vertx.createHttpServer().requestHandler(request -> {
      fetches.incrementAndGet();
      request.response().putHeader("Content-Type", "application/json").end(jwks.encode());
    }).listen(0, "127.0.0.1"));
    Map<String, String> env = env("RS256");
    env.put("BATON_SECURITY_JWT_JWKS_URL", "http://127.0.0.1:" + identityProvider.actualPort() + "/jwks.json");

    try (BatonInstance baton = BatonInstance.memory(env)) {
      assertThat(fetches.get()).isEqualTo(1);
      assertThat(listAgents(baton, sign("RS256", pair, Credentials.claims("default", "agent")))).isEqualTo(200);
      assertThat(listAgents(baton, sign("RS256", stranger, Credentials.claims("default", "agent")))).isEqualTo(401);
      // The pinned algorithm: an HS256 token "signed" with the public key's text is refused.
      assertThat(listAgents(baton, Credentials.token(baton.vertx, "HS256", jwks.encode(),
          Credentials.claims("default", "admin")))).isEqualTo(401);
    }
  }

  @Test
  void anUnreachableJwksUrlRefusesTokensButBatonStarts() {
    Map<String, String> env = env("RS256");
    env.put("BATON_SECURITY_JWT_JWKS_URL", "http://127.0.0.1:9/jwks.json");

    try (BatonInstance baton = BatonInstance.memory(env)) {
      assertThat(listAgents(baton, "aaaa.bbbb.cccc")).isEqualTo(401);
      assertThat(Await.result(baton.client.get("/health").send()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void es256TokensAreCheckedWithThePemPublicKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    KeyPair stranger = generator.generateKeyPair();
    Map<String, String> env = env("ES256");
    env.put("BATON_SECURITY_JWT_PUBLIC_KEY", pem("PUBLIC KEY", pair.getPublic().getEncoded()));

    try (BatonInstance baton = BatonInstance.memory(env)) {
      assertThat(listAgents(baton, sign("ES256", pair, Credentials.claims("default", "agent")))).isEqualTo(200);
      assertThat(listAgents(baton, sign("ES256", stranger, Credentials.claims("default", "agent")))).isEqualTo(401);
      assertThat(listAgents(baton, sign("ES256", pair, Credentials.claims("default", "agent").put("aud", "x"))))
          .isEqualTo(401);
    }
  }
}
