package io.baton.handoff.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PhraseMatcherTest {

  private static String first(PhraseMatcher<String> matcher, String message) {
    NormalizedText text = NormalizedText.of(message);
    PhraseMatcher.Match<String> match = matcher.first(text);
    return match == null ? null : text.span(match.start(), match.end());
  }

  @Test
  void matchesWholeWordsOnly() {
    PhraseMatcher<String> matcher = PhraseMatcher.of(List.of("sue", "credit card"));

    assertThat(first(matcher, "I have an issue with suede")).isNull();
    assertThat(first(matcher, "I will SUE you")).isEqualTo("SUE");
    assertThat(first(matcher, "my Crédit Card")).isEqualTo("Crédit Card");
    assertThat(first(matcher, "credit, card")).as("not across clauses").isNull();
  }

  @Test
  void starAtTheEndOfAWordMatchesPrefixes() {
    PhraseMatcher<String> matcher = PhraseMatcher.of(List.of("refund*"));

    assertThat(first(matcher, "it was refunded")).isEqualTo("refunded");
    assertThat(first(matcher, "a refund")).isEqualTo("refund");
    assertThat(first(matcher, "the referee")).isNull();
  }

  @Test
  void aLoneStarSkipsUpToTwoWords() {
    PhraseMatcher<String> matcher = PhraseMatcher.of(List.of("account * locked"));

    assertThat(first(matcher, "account locked")).isEqualTo("account locked");
    assertThat(first(matcher, "account is locked")).isEqualTo("account is locked");
    assertThat(first(matcher, "account has been locked")).isEqualTo("account has been locked");
    assertThat(first(matcher, "account has now been locked")).isNull();
    assertThat(first(matcher, "account is fine. locked")).isNull();
  }

  @Test
  void theLongestPhraseAtAPositionWins() {
    PhraseMatcher<String> matcher = PhraseMatcher.<String>builder()
        .add("charge", "short").add("charge back", "long").build();
    NormalizedText text = NormalizedText.of("I want a charge back");

    assertThat(matcher.findAll(text)).extracting(PhraseMatcher.Match::value)
        .containsExactly("long");
  }

  @Test
  void findAllReturnsNonOverlappingMatchesInOrder() {
    PhraseMatcher<String> matcher = PhraseMatcher.of(List.of("bad", "very bad", "awful"));
    NormalizedText text = NormalizedText.of("very bad and awful, bad");

    assertThat(matcher.findAll(text)).extracting(PhraseMatcher.Match::value)
        .containsExactly("very bad", "awful", "bad");
  }

  @Test
  void malformedPhrasesAreRejected() {
    assertThatThrownBy(() -> PhraseMatcher.of(List.of("* locked")))
        .hasMessageContaining("between two words");
    assertThatThrownBy(() -> PhraseMatcher.of(List.of("locked *")))
        .hasMessageContaining("between two words");
    assertThatThrownBy(() -> PhraseMatcher.of(List.of("a * * b")))
        .hasMessageContaining("between two words");
    assertThatThrownBy(() -> PhraseMatcher.of(List.of("?!")))
        .hasMessageContaining("no words");
    assertThatThrownBy(() -> PhraseMatcher.of(List.of(" ")))
        .hasMessageContaining("empty phrase");
  }
}
