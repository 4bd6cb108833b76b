package io.baton.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignaturesTest {

  @Test
  void theVectorsOfTheProtocolsHold() {
    assertThat(Signatures.meta(Vectors.GITHUB_KEY, Buffer.buffer(Vectors.GITHUB_MESSAGE)))
        .isEqualTo(Vectors.GITHUB_SIGNATURE);
    assertThat(Vectors.WHATSAPP_BODY.getBytes(StandardCharsets.UTF_8)).hasSize(420);
    assertThat(Signatures.meta(Vectors.META_SECRET, Buffer.buffer(Vectors.WHATSAPP_BODY)))
        .isEqualTo(Vectors.WHATSAPP_SIGNATURE);
    assertThat(Signatures.twitter(Vectors.X_SECRET, Vectors.X_CRC_TOKEN.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("sha256=KFtcU9vsmrTZHKfvllJm475/19bX1NHiAu472BFJKn8=");
    assertThat(Signatures.twitter(Vectors.X_SECRET, Vectors.X_BODY.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(Vectors.X_SIGNATURE);
  }

  @Test
  void theMatchingSecretIsFoundAmongSeveral() {
    Buffer body = Buffer.buffer(Vectors.WHATSAPP_BODY);
    assertThat(Signatures.matchMeta(List.of("other", Vectors.META_SECRET), Vectors.WHATSAPP_SIGNATURE, body))
        .contains(Vectors.META_SECRET);
    assertThat(Signatures.matchMeta(List.of(Vectors.META_SECRET), Vectors.WHATSAPP_SIGNATURE.toUpperCase()
        .replace("SHA256=", "sha256="), body)).contains(Vectors.META_SECRET);
    assertThat(Signatures.matchTwitter(List.of("x", Vectors.X_SECRET), Vectors.X_SIGNATURE,
        Buffer.buffer(Vectors.X_BODY))).contains(Vectors.X_SECRET);
  }

  @Test
  void aChangedByteAMissingHeaderOrNoSecretMatchNothing() {
    Buffer changed = Buffer.buffer(Vectors.WHATSAPP_BODY.replace("Hola", "Hole"));
    assertThat(Signatures.matchMeta(List.of(Vectors.META_SECRET), Vectors.WHATSAPP_SIGNATURE, changed)).isEmpty();
    assertThat(Signatures.matchMeta(List.of(Vectors.META_SECRET), null, Buffer.buffer(Vectors.WHATSAPP_BODY)))
        .isEmpty();
    assertThat(Signatures.matchMeta(List.of(), Vectors.WHATSAPP_SIGNATURE, Buffer.buffer(Vectors.WHATSAPP_BODY)))
        .isEmpty();
    // X's base64 is case-sensitive.
    assertThat(Signatures.matchTwitter(List.of(Vectors.X_SECRET), Vectors.X_SIGNATURE.toLowerCase(),
        Buffer.buffer(Vectors.X_BODY))).isEmpty();
    assertThat(Signatures.same("", "")).isFalse();
    assertThat(Signatures.same("token", "token")).isTrue();
    assertThat(Signatures.same("token", "tokem")).isFalse();
  }
}
