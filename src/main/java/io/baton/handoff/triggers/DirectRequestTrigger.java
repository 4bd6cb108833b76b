package io.baton.handoff.triggers;

import io.baton.handoff.Priority;
import io.baton.handoff.rules.ConfigReader;
import io.baton.handoff.rules.Negation;
import io.baton.handoff.rules.NormalizedText;
import io.baton.handoff.rules.PhraseMatcher;
import io.baton.handoff.rules.Transcript;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The customer asks for a person, in English, Spanish or Portuguese.
 *
 * <p>Single words such as "agent" or "human" are too ambiguous to match on their own ("my agent
 * number is 42", "human resources"), so a request is one of:
 * <ul>
 *   <li>an unambiguous phrase: "real person", "live agent", "atendente humano"...;</li>
 *   <li>a request verb leading to a person word through filler words only: "can I <b>talk</b> to
 *       a <b>human</b>", "<b>quero falar</b> com uma <b>pessoa</b>". Vague words ("someone") only
 *       count after a verb of talking: "talk to someone" asks for a person, "need someone to fix
 *       it" does not;</li>
 *   <li>a person word followed by "please" or "now": "agent please";</li>
 *   <li>a person word alone in the message: "Representative!".</li>
 * </ul>
 * Each is dropped when negated ("I don't need a human", "no quiero un agente"), and a person word
 * is ignored when the words around it make it something else ("human resources", "my agent",
 * "travel agent", "agent number").
 */
final class DirectRequestTrigger implements Trigger {

  static final String NAME = "direct_request";

  private static final double PHRASE_CONFIDENCE = 0.95;
  private static final double REQUEST_CONFIDENCE = 0.9;
  private static final double VAGUE_REQUEST_CONFIDENCE = 0.75;
  private static final double ALONE_CONFIDENCE = 0.85;

  /** How far back from the person word a request verb may stand. */
  private static final int MAX_REQUEST_SPAN = 6;

  /** Not "human being" or "ser humano": "I'm a human being!" is a protest, not a request. */
  static final List<String> DEFAULT_PHRASES = List.of(
      "real person", "real human", "actual person", "actual human", "live agent", "live person",
      "live support", "human agent", "human support", "human representative",
      "is there a human", "is there a person", "escalate this", "escalate my case",
      "escalate my issue",
      "persona real", "humano real", "agente humano", "atencion humana", "atencion personal",
      "persona de verdad",
      "pessoa real", "atendente humano", "atendimento humano", "agente humano",
      "pessoa de verdade", "humano de verdade");

  /** Words for someone who can take over. */
  private static final Set<String> PERSON = Set.of(
      "human", "humans", "person", "agent", "representative", "rep", "operator", "manager",
      "supervisor", "employee", "staff", "specialist", "advisor", "adviser", "consultant",
      "humano", "humana", "persona", "agente", "asesor", "asesora", "operador", "operadora",
      "representante", "ejecutivo", "ejecutiva", "gerente", "encargado", "encargada", "empleado",
      "atendente", "pessoa", "supervisora", "consultor", "consultora", "funcionario");

  /** Several words naming people who can take over: "transfer me to customer service". */
  private static final PhraseMatcher<Boolean> PERSON_PHRASES = PhraseMatcher.<Boolean>builder()
      .addAll(List.of("customer service", "customer support", "customer care", "support team",
          "support agent", "support staff", "service agent", "customer service agent",
          "customer service rep",
          "customer service representative", "help desk", "servicio al cliente",
          "atencion al cliente", "servicio tecnico", "soporte tecnico", "atendimento ao cliente",
          "servico de atendimento", "suporte tecnico"), true)
      .build();

  /** Vague words that ask for a person only after a verb of talking. */
  private static final Set<String> VAGUE_PERSON = Set.of(
      "someone", "somebody", "anyone", "anybody", "alguien", "alguem");

  private static final Set<String> TALK_VERBS = Set.of(
      "talk", "speak", "chat", "connect", "transfer", "reach", "contact",
      "hablar", "hablo", "comunicar", "comunicarme", "comunicame", "comuniques", "comunique",
      "conversar", "charlar", "contactar", "conectar", "conectame", "conectes",
      "falar", "falo", "conversa", "contatar", "conecta", "conecte");

  /** Verbs that ask for something; with a clear person word they make a request. */
  private static final Set<String> REQUEST_VERBS = Set.of(
      "want", "wanna", "need", "get", "give", "request", "prefer", "escalate", "ask", "put",
      "send", "bring", "call", "transferred", "connected", "help",
      "quiero", "quisiera", "necesito", "pido", "solicito", "deseo", "pasame", "pasar", "pasarme",
      "pasas", "pasa", "pase", "pasen", "transferir", "transfiereme", "transfieres", "transfiere",
      "transfieran", "transfiera", "ponme", "ponerme", "pones", "llamar", "llama", "comunica",
      "comunicas", "ayuda", "ayudame",
      "quero", "queria", "gostaria", "preciso", "precisava", "peco", "pedir", "chama", "chame",
      "chamar", "passa", "passe", "passar", "transfere", "transfira", "solicitar", "ajuda");

  /** Words that may stand between the verb and the person without changing the meaning. */
  private static final Set<String> FILLERS = Set.of(
      "to", "with", "a", "an", "the", "some", "your", "one", "of", "real", "actual", "live",
      "me", "us", "through", "for", "from", "please", "just", "can", "could", "let", "like",
      "would", "id", "directly", "now", "right", "away", "immediately", "actually", "really",
      "human", "another", "other", "different", "proper", "in",
      "con", "un", "una", "el", "la", "al", "de", "por", "favor", "verdad", "algun", "alguno",
      "alguna", "su", "tu", "se", "puedo", "puede", "podria", "podrias", "que", "ya", "ahora",
      "directamente", "otro", "otra", "ser",
      "com", "um", "uma", "o", "ao", "pra", "para", "posso", "pode", "poderia", "voce", "agora",
      "ja", "logo", "seu", "sua", "algum", "alguma", "verdade", "outro", "outra");

  /** After a person word: "agent please". */
  private static final Set<String> POLITE = Set.of(
      "please", "pls", "plz", "now", "asap", "immediately", "por", "porfa", "porfavor", "ahora",
      "ya", "agora", "ja", "urgente", "pronto");

  /** Words that may share a message with a lone person word: "Hi, agent!". */
  private static final Set<String> ALONE_WITH = Stream.of(FILLERS, POLITE, Set.of(
          "hi", "hey", "hello", "hola", "oi", "ola", "ok", "okay", "yes", "si", "sim", "favor",
          "i", "yo", "eu", "only"))
      .flatMap(Set::stream).collect(Collectors.toUnmodifiableSet());

  /** A person word followed by one of these is something else: "human resources". */
  private static final Set<String> NOT_A_PERSON_AFTER = Set.of(
      "resources", "resource", "rights", "error", "errors", "nature", "number", "numbers", "id",
      "code", "field", "fields", "name", "version", "string", "header", "trafficking", "body",
      "race", "app", "application", "software", "portal", "login", "hours", "phone",
      "email", "address", "access", "account", "accounts", "password", "discount", "role",
      "permissions", "mode", "settings", "tool", "tools", "horario", "telefone", "telefono");

  /** A person word preceded by one of these is not asking for one: "my agent", "I'm human". */
  private static final Set<String> NOT_A_PERSON_BEFORE = Set.of(
      "my", "his", "her", "their", "our", "im", "am", "travel", "user", "insurance", "estate",
      "secret", "free", "password", "mi", "mis", "meu", "minha", "soy", "sou",
      "recursos", "derechos", "direitos");

  private final PhraseMatcher<String> phrases;
  private final int userMessages;
  private final Priority priority;

  private DirectRequestTrigger(PhraseMatcher<String> phrases, int userMessages,
      Priority priority) {
    this.phrases = phrases;
    this.userMessages = userMessages;
    this.priority = priority;
  }

  /** Null when switched off. */
  static DirectRequestTrigger fromConfig(ConfigReader config) {
    boolean enabled = config.bool("enabled", true);
    int userMessages = config.integer("user_messages", 1, 1, 50);
    List<String> extra = config.strings("extra_phrases", List.of());
    Priority priority = config.priority("priority", Priority.HIGH);
    config.rejectUnknownKeys();
    if (!enabled) {
      return null;
    }
    return new DirectRequestTrigger(Trigger.phrases(DEFAULT_PHRASES, extra, config), userMessages, priority);
  }

  @Override
  public TriggerResult evaluate(Transcript transcript) {
    int checked = 0;
    for (int i = transcript.size() - 1; i >= 0 && checked < userMessages; i--) {
      if (!transcript.isUser(i)) {
        continue;
      }
      checked++;
      TriggerResult result = find(transcript.text(i));
      if (result != null) {
        return result;
      }
    }
    return null;
  }

  private TriggerResult find(NormalizedText text) {
    int size = text.size();
    for (int i = 0; i < size; i++) {
      PhraseMatcher.Match<String> phrase = phrases.longestAt(text, i);
      if (phrase != null && !Negation.negatesBefore(text, phrase.start())) {
        return result(text, phrase.start(), phrase.end(), PHRASE_CONFIDENCE);
      }
      PhraseMatcher.Match<Boolean> several = PERSON_PHRASES.longestAt(text, i);
      String word = text.token(i);
      boolean clear = several != null || PERSON.contains(word);
      if (!clear && !VAGUE_PERSON.contains(word)) {
        continue;
      }
      int end = several != null ? several.end() : i + 1;
      if (isSomethingElse(text, i, end)) {
        continue;
      }
      int requestStart = requestStart(text, i, clear);
      if (requestStart >= 0) {
        if (!Negation.negatesBefore(text, requestStart)) {
          return result(text, requestStart, end,
              clear ? REQUEST_CONFIDENCE : VAGUE_REQUEST_CONFIDENCE);
        }
        continue;
      }
      if (!clear || Negation.negatesBefore(text, i)) {
        continue;
      }
      if (end < size && text.sameClause(i, end) && POLITE.contains(text.token(end))) {
        return result(text, i, end + 1, REQUEST_CONFIDENCE);
      }
      if (isAlone(text, i, end)) {
        return result(text, i, end, ALONE_CONFIDENCE);
      }
    }
    return null;
  }

  /** Whether the person words at {@code [from, to)} name something else: "human resources". */
  private static boolean isSomethingElse(NormalizedText text, int from, int to) {
    return to < text.size() && NOT_A_PERSON_AFTER.contains(text.token(to))
        || from > 0 && NOT_A_PERSON_BEFORE.contains(text.token(from - 1));
  }

  /**
   * Walks back from the person word over fillers and verbs; returns where that run starts if it
   * holds a request verb (a verb of talking for a vague person word), else -1.
   */
  private static int requestStart(NormalizedText text, int person, boolean clear) {
    int start = -1;
    for (int i = person - 1; i >= 0 && person - i <= MAX_REQUEST_SPAN
        && text.sameClause(i, person); i--) {
      String word = text.token(i);
      boolean talk = TALK_VERBS.contains(word);
      boolean request = REQUEST_VERBS.contains(word);
      if (talk || request && clear) {
        start = i;
      } else if (!request && !FILLERS.contains(word)) {
        break;
      }
    }
    return start;
  }

  private static boolean isAlone(NormalizedText text, int from, int to) {
    for (int i = 0; i < text.size(); i++) {
      if ((i < from || i >= to) && !ALONE_WITH.contains(text.token(i))) {
        return false;
      }
    }
    return true;
  }

  private TriggerResult result(NormalizedText text, int from, int to, double confidence) {
    return new TriggerResult(TriggerType.DIRECT_REQUEST, confidence,
        "the customer asked for a human", text.span(from, to), priority);
  }
}
