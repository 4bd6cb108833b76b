package io.baton.handoff.triggers;

import io.baton.handoff.Priority;
import io.baton.handoff.rules.ConfigReader;
import io.baton.handoff.rules.Negation;
import io.baton.handoff.rules.NormalizedText;
import io.baton.handoff.rules.PhraseMatcher;
import io.baton.handoff.rules.Transcript;
import java.util.List;

/**
 * The customer mentions something a bot must not handle alone: fraud, legal action, a
 * compromised account, an emergency (URGENT), or self-harm (CRITICAL).
 *
 * <p>Terms match whole words, so "sue" does not fire on "issue" or "suede". Hyphenated words are
 * separate words, so "fraudulent-looking" fires on "fraudulent". Only the customer's messages
 * count ("if this is an emergency, call..." from the bot must not escalate). Urgent terms
 * respect negation ("it's not an emergency"); self-harm terms never do, because missing a
 * person at risk costs far more than a needless escalation.
 */
final class CriticalKeywordTrigger implements Trigger {

  static final String NAME = "critical_keyword";

  static final List<String> URGENT_TERMS = List.of(
      "fraud", "fraudulent", "scam", "scammed", "scammer", "chargeback", "chargebacks",
      "charge back", "lawyer", "lawyers", "attorney", "attorneys", "lawsuit", "sue", "suing",
      "legal action", "take you to court", "see you in court", "hacked", "hacker",
      "account * compromised", "account * locked", "locked out", "locked me out",
      "stolen card", "card * stolen", "stole * card", "identity theft", "unauthorized charge",
      "unauthorized charges", "unauthorized transaction", "unauthorised charge",
      "unauthorised transaction", "emergency",
      "fraude", "fraudulento", "estafa", "estafado", "estafaron", "contracargo", "abogado",
      "abogados", "demandar", "demandare", "poner una demanda", "presentar una demanda",
      "accion legal", "acciones legales",
      "hackeado", "hackeada", "hackearon", "cuenta * bloqueada", "cuenta * comprometida",
      "tarjeta robada", "robaron * tarjeta", "robo de identidad", "cargo no autorizado",
      "emergencia",
      "um golpe", "golpista", "golpistas", "advogado", "advogados", "vou processar",
      "vamos processar", "processar voces", "processar a empresa", "entrar na justica",
      "acao judicial", "processo judicial", "hackearam",
      "invadida", "invadiram", "conta * bloqueada", "cartao roubado", "cartao clonado",
      "roubaram * cartao", "roubo de identidade", "compra nao reconhecida",
      "cobranca nao autorizada");

  static final List<String> SELF_HARM_TERMS = List.of(
      "kill myself", "killing myself", "kill my self", "end my life", "ending my life",
      "take my own life", "take my life", "suicide", "suicidal", "self harm", "selfharm",
      "harm myself", "hurt myself", "hurting myself", "cut myself", "want to die",
      "wanna die", "better off dead", "no reason to live", "dont want to live",
      "suicidio", "suicidarme", "suicida", "matarme", "quitarme la vida", "acabar con mi vida",
      "no quiero vivir", "quiero morir", "quiero morirme", "hacerme dano", "autolesion",
      "autolesionarme",
      "me matar", "tirar minha vida", "tirar a minha vida", "acabar com minha vida",
      "acabar com a minha vida", "nao quero mais viver", "quero morrer", "me machucar",
      "automutilacao", "autolesao");

  private final PhraseMatcher<Priority> terms;
  private final int window;

  private CriticalKeywordTrigger(PhraseMatcher<Priority> terms, int window) {
    this.terms = terms;
    this.window = window;
  }

  /** Null when switched off. */
  static CriticalKeywordTrigger fromConfig(ConfigReader config) {
    boolean enabled = config.bool("enabled", true);
    int window = config.integer("window", 10, 1, 1000);
    List<String> extraUrgent = config.strings("extra_urgent", List.of());
    List<String> extraCritical = config.strings("extra_critical", List.of());
    config.rejectUnknownKeys();
    if (!enabled) {
      return null;
    }
    PhraseMatcher.Builder<Priority> builder = PhraseMatcher.builder();
    builder.addAll(URGENT_TERMS, Priority.URGENT).addAll(SELF_HARM_TERMS, Priority.CRITICAL);
    add(builder, extraUrgent, Priority.URGENT, config.pathOf("extra_urgent"));
    add(builder, extraCritical, Priority.CRITICAL, config.pathOf("extra_critical"));
    return new CriticalKeywordTrigger(builder.build(), window);
  }

  private static void add(PhraseMatcher.Builder<Priority> builder, List<String> terms,
      Priority priority, String path) {
    try {
      builder.addAll(terms, priority);
    } catch (IllegalArgumentException badPhrase) {
      throw new IllegalArgumentException(path + ": " + badPhrase.getMessage(), badPhrase);
    }
  }

  @Override
  public TriggerResult evaluate(Transcript transcript) {
    String urgent = null;
    for (int i = transcript.size() - 1; i >= Math.max(0, transcript.size() - window); i--) {
      if (!transcript.isUser(i)) {
        continue;
      }
      NormalizedText text = transcript.text(i);
      for (PhraseMatcher.Match<Priority> match : terms.findAll(text)) {
        String matched = text.span(match.start(), match.end());
        if (match.value() == Priority.CRITICAL) {
          return new TriggerResult(TriggerType.CRITICAL_KEYWORD, 1.0,
              "self-harm language: the customer may be at risk", matched, Priority.CRITICAL);
        }
        if (urgent == null && !Negation.negatesBefore(text, match.start())) {
          urgent = matched;
        }
      }
    }
    if (urgent == null) {
      return null;
    }
    return new TriggerResult(TriggerType.CRITICAL_KEYWORD, 0.9,
        "critical keyword: " + NormalizedText.normalize(urgent), urgent, Priority.URGENT);
  }
}
