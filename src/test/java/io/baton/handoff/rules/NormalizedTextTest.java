package io.baton.handoff.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NormalizedTextTest {

  private static String[] tokens(NormalizedText text) {
    return IntStream.range(0, text.size()).mapToObj(text::token).toArray(String[]::new);
  }

  @Test
  void lowerCasesStripsAccentsAndJoinsApostrophes() {
    NormalizedText text = NormalizedText.of("¿Quién? Não! I DON’T can't Ærø straße");

    assertThat(tokens(text)).containsExactly("quien", "nao", "i", "dont", "cant", "æro",
        "straße");
  }

  @Test
  void decomposedAccentsStayInsideTheirWord() {
    assertThat(tokens(NormalizedText.of("atenc\u0327a\u0303o humana")))
        .containsExactly("atencao", "humana");
  }

  @Test
  void punctuationStartsClausesButHyphensAndSpacesDoNot() {
    NormalizedText text = NormalizedText.of("No, self-harm; ok\nthen");

    assertThat(tokens(text)).containsExactly("no", "self", "harm", "ok", "then");
    assertThat(text.sameClause(0, 1)).isFalse();
    assertThat(text.sameClause(1, 2)).isTrue();
    assertThat(text.sameClause(2, 3)).isFalse();
    assertThat(text.sameClause(3, 4)).isFalse();
  }

  @Test
  void capitalsAndExclamationsAreKept() {
    NormalizedText text = NormalizedText.of("I am SO Angry!! really!!!");

    assertThat(text.shouted(0)).as("a single capital letter is not shouting").isFalse();
    assertThat(text.shouted(2)).isTrue();
    assertThat(text.shouted(3)).isFalse();
    assertThat(text.exclamations()).isEqualTo(3);
  }

  @Test
  void spansReturnTheOriginalText() {
    NormalizedText text = NormalizedText.of("  Talk to a HUMAN, please ");

    assertThat(text.span(0, 4)).isEqualTo("Talk to a HUMAN");
    assertThat(text.normalized()).isEqualTo("talk to a human please");
  }

  @Test
  void emptyAndSymbolOnlyTextHasNoTokens() {
    assertThat(NormalizedText.of(null).size()).isZero();
    assertThat(NormalizedText.of("").size()).isZero();
    assertThat(NormalizedText.of("?!... :)").size()).isZero();
  }
}
