package io.baton.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.config.BatonConfig;
import io.baton.support.BatonInstance;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecurityConfigTest {

  private static BatonConfig config(Map<String, String> env) {
    return BatonConfig.from(BatonInstance.shippedConfig(), env);
  }

  @Test
  void theShippedConfigurationIsProtectedMode() {
    assertThat(config(Map.of()).security().protectedMode()).isTrue();
  }

  @Test
  void keysComeFromTheEnvironmentAsHashes() {
    SecurityConfig security = config(Credentials.env("default")).security();

    assertThat(security.protectedMode()).isFalse();
    assertThat(security.apiKeys()).hasSize(3);
    assertThat(new ApiKeys(security.apiKeys()).find(Credentials.key("default", Role.AGENT)))
        .isEqualTo(new Principal("default-agent", Role.AGENT, "default", Principal.Kind.API_KEY));
    assertThat(new ApiKeys(security.apiKeys()).find("key-acme-agent")).isNull();
  }

  @Test
  void aPlainTextKeyInPlaceOfAHashIsRefused() {
    assertThatThrownBy(() -> config(Map.of("BATON_SECURITY_API_KEYS",
        "{\"bot\":{\"sha256\":\"my-plain-key\",\"role\":\"platform\",\"tenant\":\"acme\"}}")))
        .hasMessageContaining("sha256").hasMessageContaining("hash-key");
  }

  @Test
  void anUnknownRoleOrABadTenantIsRefused() {
    String hash = ApiKeys.hashHex("a-key-for-the-bot-123");
    assertThatThrownBy(() -> config(Map.of("BATON_SECURITY_API_KEYS",
        "{\"bot\":{\"sha256\":\"" + hash + "\",\"role\":\"root\",\"tenant\":\"acme\"}}")))
        .hasMessageContaining("role");
    assertThatThrownBy(() -> config(Map.of("BATON_SECURITY_API_KEYS",
        "{\"bot\":{\"sha256\":\"" + hash + "\",\"role\":\"agent\",\"tenant\":\"a b\"}}")))
        .hasMessageContaining("tenant");
  }

  @Test
  void keysOfOtherTenantsAreServed() {
    String hash = ApiKeys.hashHex("a-key-for-the-bot-123");
    SecurityConfig config = config(Map.of("BATON_SECURITY_API_KEYS",
        "{\"bot\":{\"sha256\":\"" + hash + "\",\"role\":\"agent\",\"tenant\":\"acme\"}}")).security();
    assertThat(config.apiKeys()).singleElement().extracting(SecurityConfig.ApiKey::tenant).isEqualTo("acme");
  }

  @Test
  void tokensNeedAnIssuerAnAudienceAndOneKeySource() {
    assertThatThrownBy(() -> config(Map.of("BATON_SECURITY_JWT_SECRET", Credentials.SECRET)))
        .hasMessageContaining("issuer");
    assertThatThrownBy(() -> config(Map.of("BATON_SECURITY_JWT_SECRET", "short",
        "BATON_SECURITY_JWT_ISSUER", "i", "BATON_SECURITY_JWT_AUDIENCE", "a")))
        .hasMessageContaining("32");
    assertThatThrownBy(() -> config(Map.of("BATON_SECURITY_JWT_ALGORITHM", "RS256",
        "BATON_SECURITY_JWT_SECRET", Credentials.SECRET, "BATON_SECURITY_JWT_ISSUER", "i",
        "BATON_SECURITY_JWT_AUDIENCE", "a")))
        .hasMessageContaining("public_key");
    assertThatThrownBy(() -> config(Map.of("BATON_SECURITY_JWT_ALGORITHM", "none",
        "BATON_SECURITY_JWT_SECRET", Credentials.SECRET, "BATON_SECURITY_JWT_ISSUER", "i",
        "BATON_SECURITY_JWT_AUDIENCE", "a")))
        .hasMessageContaining("HS256, RS256 or ES256");
  }

  @Test
  void hashKeyPrintsWhatTheConfigurationHolds() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int fromArgument = HashKey.run(new String[] {"hash-key", "a-key-for-the-bot-123"}, new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    ByteArrayOutputStream out2 = new ByteArrayOutputStream();
    int fromInput = HashKey.run(new String[] {"hash-key"},
        new ByteArrayInputStream("a-key-for-the-bot-123\n".getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out2, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(fromArgument).isZero();
    assertThat(fromInput).isZero();
    // printf %s a-key-for-the-bot-123 | sha256sum
    assertThat(out.toString(StandardCharsets.UTF_8).trim())
        .isEqualTo("b9d4b144616d0cec3219811647b506fee1a1053c1e68faae7656d1356a3a21ca")
        .isEqualTo(out2.toString(StandardCharsets.UTF_8).trim()).hasSize(64);
    assertThat(HashKey.run(new String[] {"hash-key", "has.a.dot.in-it-0000"}, System.in,
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()))).isEqualTo(2);
  }
}
