package io.baton.handoff.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NegationTest {

  /** Whether the word {@code target} in the message is negated. */
  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "I don't need a human            | need   | true",
      "I do not want it                | want   | true",
      "I really don't think I need it  | need   | true",
      "it's not very good              | good   | true",
      "no quiero un agente             | quiero | true",
      "não é bom                       | bom    | true",
      "no I want a human               | want   | false",
      "No, I want a human              | want   | false",
      "I don't know how to reach them  | reach  | false",
      "why can't I talk to them        | talk   | false",
      "I want a human                  | want   | false"})
  void negation(String message, String target, boolean negated) {
    NormalizedText text = NormalizedText.of(message);
    int at = -1;
    for (int i = 0; i < text.size(); i++) {
      if (text.token(i).equals(target)) {
        at = i;
      }
    }

    assertThat(Negation.negatesBefore(text, at)).isEqualTo(negated);
  }
}
