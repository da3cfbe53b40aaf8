"""What a whole message says: the places in it and whose they are, what the sender wants, and
in which language ("I live in Texas and my ex took the kids to Spain").

Pure, like the recognizer it builds on: the reference data is an argument. The conversation
flow decides what to do with the reading; anything taken from a sentence, a city, a typo or a
flag is read back to the caller before an outcome rests on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from routing.places import (
    Ambiguous,
    Mention,
    Recognition,
    Recognized,
    Source,
    combined_places,
    place_for_alpha2,
    place_mentions,
    read_place,
    recognition_of,
    suggested_places,
    typo_places,
    words_of,
)
from routing.reference import Language, Place, PlaceKind, ReferenceData


class Intent(StrEnum):
    """What a message asks for, whatever question it answers."""

    ABDUCTION = "abduction"
    PERSON = "person"
    UNSURE = "unsure"
    YES = "yes"
    NO = "no"


@dataclass(frozen=True)
class PlaceReading:
    """One place named in a message; ``city``: the city it was found through ("Chicago")."""

    recognition: Recognition
    source: Source
    city: str = ""


@dataclass(frozen=True)
class Understanding:
    """A message's reading; ``place``: a place named with no cue saying whose it is.

    ``suggestions``: places whose names are close to a word of the message, for "did you
    mean ...?", when no place was read at all.
    """

    language: Language | None = None
    intents: frozenset[Intent] = frozenset()
    caller: PlaceReading | None = None
    other_parent: PlaceReading | None = None
    place: PlaceReading | None = None
    suggestions: tuple[Place, ...] = ()


#: Longer texts are cut: nobody's first 1,000 characters hide the place.
MAX_TEXT_LENGTH = 1000

# --- roles --------------------------------------------------------------------------------------

_CALLER = "caller"
_OTHER = "other"
#: "my ex and I both live in Florida".
_BOTH = "both"
_NOBODY = "nobody"
#: A subject that is neither parent ("my mom", "someone"): its place is nobody's answer.
_SOMEONE_ELSE = "someone else"

#: Words saying the sender is the subject: "I live", "we are", "vivo", "estoy", "soy de".
_CALLER_WORDS = frozenset(
    {"i", "im", "we", "yo", "nosotros", "nosotras", "here", "aqui", "aca"}
    | {"vivo", "estoy", "vivimos", "estamos", "soy", "somos", "radico", "resido", "radicamos"}
    | {"mude", "mudamos", "vine", "vinimos", "llamo", "escribo", "conmigo", "address"}
)
#: Words naming the other parent as the subject: "my ex", "the father", "el papá", "ella".
_OTHER_WORDS = frozenset(
    {"ex", "he", "hes", "she", "shes", "father", "mother", "dad", "mom", "daddy", "mommy"}
    | {"husband", "wife", "boyfriend", "girlfriend", "fiance", "spouse", "exhusband", "exwife"}
    | {"papa", "mama", "padre", "madre", "esposo", "esposa", "marido", "novio", "novia", "ella"}
    | {"exesposo", "exesposa", "expareja", "pareja"}
)
#: Spanish verbs in the third person: the other parent, unless a noun before says who.
_OTHER_VERBS = frozenset({"vive", "reside", "radica"})
#: People who are neither parent.
_THIRD_PARTIES = frozenset(
    {"someone", "somebody", "anyone", "people", "lawyer", "attorney", "agency", "alguien"}
    | {"abogado", "abogada", "gente", "sister", "brother", "hermana", "hermano", "friend"}
    | {"amigo", "amiga", "family", "familia", "grandma", "abuela", "abuelo", "tia", "aunt"}
)
#: Words before a parent word that make it the sender describing themself ("a single mom").
_SELF_DESCRIPTION = frozenset({"a", "an", "single", "una", "un", "soltera", "soltero", "sola"})
#: A parent word right after "my"/"mi" is the sender's own parent, not the other parent.
_OWN_PARENT = frozenset({"father", "mother", "dad", "mom", "papa", "mama", "padre", "madre"})
#: "I'm the mother", "soy la mamá de los niños": a parent word after these is the sender.
_I_AM = frozenset({"im", "am", "soy"})
#: Words that may stand between "I'm" and the parent word ("I'm their mother").
_DESCRIBING = frozenset(
    {"the", "a", "an", "their", "his", "her", "la", "el", "su", "sus", "un", "una", "kids"}
    | {"childrens", "ninos", "hijos", "just", "only"}
)
_MY = frozenset({"my", "mi"})
#: Spanish verbs that name the other parent only after "se": "se fue", "se mudó", "se llevó".
_SE_VERBS = frozenset({"fue", "mudo", "llevo", "regreso", "quedo", "los", "las", "la", "lo"})
#: "él" loses its accent: "el" is the other parent only right before a verb or "en".
_EL_VERBS = frozenset({"vive", "esta", "se", "en", "trabaja", "reside", "radica", "vivia"})
#: Children as the subject ("the kids are in Mexico") say nothing about either parent.
_CHILD_WORDS = frozenset(
    {"kid", "kids", "child", "children", "son", "sons", "daughter", "daughters", "baby"}
    | {"babies", "hijos", "hijo", "hija", "hijas", "ninos", "nino", "nina", "ninas", "bebe"}
)
_CHILD_VERBS = frozenset({"are", "is", "live", "lives", "stay", "estan", "esta", "viven", "vive"})
#: Words between a subject and its place that say where someone lives or went.
_LIVING_WORDS = frozenset(
    {"live", "lives", "living", "stay", "stays", "staying", "reside", "resides", "is", "am"}
    | {"are", "im", "hes", "shes", "moved", "went", "took", "taken", "relocated", "back"}
    | {"deported", "fled", "ran", "from", "currently", "now", "still", "resides", "stayed", "left"}
    | {"remained", "quedo", "quedaron"}
    | {"based", "located", "has", "kept", "keeps", "keeping", "brought", "returned", "deported"}
    | {"vivo", "vive", "viven", "vivimos", "estoy", "esta", "estamos", "estan", "fue", "mudo"}
    | {"llevo", "regreso", "reside", "radica", "radico", "soy", "somos", "quedo"}
    | {"mude", "mudamos", "vine", "vinimos", "tiene", "desde", "llamo", "escribo", "here"}
    | {"aqui", "aca", "deportaron", "deportado", "address", "direccion"}
)
#: Between a subject and a place, these make it a past, future or denied place, not a home.
_NOT_HOME_WORDS = frozenset(
    {"used", "lived", "was", "born", "moving", "planning", "plans", "wants", "want", "will"}
    | {"gonna", "might", "visiting", "visit", "not", "dont", "doesnt", "isnt", "never"}
    | {"vivia", "vivio", "vivi", "naci", "nacio", "quiere", "piensa", "va", "no", "visitar"}
    | {"anymore", "trip", "vacation", "vacaciones", "planea", "antes", "move", "going"}
    | {"mudar", "mudarnos", "mudarme", "mudarse"}
    | {"work", "works", "working", "trabaja", "trabajo"}
    | {"stationed", "station"}
)
#: "el papá de mi hija en Houston": words that may stand between a gapped subject and "en".
_OF_THE_CHILDREN = (
    frozenset({"de", "of", "mi", "mis", "my", "la", "los", "the", "our", "nuestros", "sus", "su"})
    | _CHILD_WORDS
)
#: "my address is", "my location is": the sender's place ("his location": the other's).
_WHEREABOUTS = frozenset({"location", "address", "direccion", "ubicacion"})
_NEGATIONS = frozenset({"no", "not", "dont", "doesnt", "isnt", "never"})
#: "we moved from California to Oregon": the place after "from" is the one left.
_MOVING_WORDS = frozenset({"moved", "came", "mude", "mudamos", "vine", "vinimos", "relocated"})
#: A court or a case somewhere says nothing of where anyone lives, whatever else is said.
_COURT_WORDS = frozenset({"court", "corte", "case", "caso", "order", "orden", "juzgado"})
_WORK_WORDS = frozenset({"work", "works", "working", "trabaja", "trabajo"})
#: "won't bring the kids back from Italy", "took the kids on vacation to Mexico": the place a
#: child was taken to or is kept in is the parent's.
_RETURN_WORDS = frozenset(
    {"return", "back", "bring", "regresar", "devolver", "regresa", "devuelve", "traer"}
    | {"deported", "deportaron", "deportado", "took", "taken", "llevo", "kept", "retuvo"}
)
#: Words that may stand between two names of one place ("Houston, Texas", "Juárez en México").
_JOINING_WORDS = frozenset({"in", "en", "de", "of", "the", "el", "la", "near", "cerca"})
#: Words that start a clause whose subject is left out ("... and lives in Texas").
_AND = frozenset({"and", "but", "y", "pero", "e"})
#: Words that may surround a place in a message that is only that place.
_FILLER = frozenset(
    {"in", "the", "el", "la", "los", "las", "en", "please", "por", "favor", "think", "creo"}
    | {"que", "state", "estado", "of", "de", "country", "pais", "thanks", "thank", "you"}
    | {"gracias", "its", "it", "is", "es", "ok", "okay", "um", "uh", "eh", "well", "pues", "i"}
)
#: Words a place follows in a sentence, whoever's it is: a misspelt word after one is tried as
#: a place ("vivo en Californa"), and the subject before the last one of a message read whole
#: says whose its place is. Wider than what ``routing.places`` takes after a verb.
_PLACE_CUES = frozenset({"in", "en", "to", "a", "at", "from", "desde", "near"})
_TYPO_STOP = frozenset({"and", "y", "but", "pero", "with", "con", "because", "porque", "for"})
#: How far back a subject may be from its place.
_MAX_CUE_WORDS = 10
_MIN_TYPO_LENGTH = 5

_SOURCE_ORDER = (Source.TYPO, Source.WORD, Source.CITY, Source.FLAG, Source.SENTENCE, Source.EXACT)

# --- intents ------------------------------------------------------------------------------------

_CHILDREN = (
    r"(?:the|my|our|his|her|their|both|\w+s)?\s*(?:kids?|child(?:ren)?|sons?|daughters?"
    r"|bab(?:y|ies)|boys?|girls?|them|him|her)"
)
#: Someone took or kept the children: an abduction unless the sender did it ("I have kept the
#: kids since 2019") or an agency ("CPS took my kids"). "takes the kids every other weekend" is
#: a visit, so only the past and "keeping" count.
_CHILDREN_TAKEN = re.compile(
    "|".join(
        [
            rf"\b(?:took|taken|kept|keeping) {_CHILDREN}\b"
            r"(?! to (?:court|school|the doctor|see|visit|church))",
            r"\b(?:took off|ran off|ran away|fled|escaped|disappeared|left the country)\b"
            rf"(?: \w+){{0,4}} with {_CHILDREN}",
            r"\b(?:kids?|child(?:ren)?|sons?|daughters?|bab(?:y|ies)) (?:were|was|have been"
            r"|has been|got) (?:taken|kidnapped|abducted|kept)",
        ]
    )
)
#: The words before ``_CHILDREN_TAKEN`` when the sender or an agency did it: "i have kept",
#: "we are keeping", "cps took".
_NOT_THE_OTHER_PARENT = re.compile(
    r"\b(?:(?:i|we|ive|weve|im|yo)(?: (?:have|had|has|always|been|am|are|was|were|just|also"
    r"|already|still|now|never|then|finally))*|cps|dcfs|dcs|dif|police|(?:the )?state"
    r"|(?:child )?protective services|social services) $"
)
#: "taken away by CPS": children an agency removed are not abducted by a parent.
_TAKEN_BY_AGENCY = re.compile(
    r"^(?: \w+)?(?: away)?(?: from (?:me|us))? by (?:the )?(?:cps|dcfs|dcs|dif|police|state"
    r"|child protective services|protective services|social services|foster care|courts?)\b"
)
#: The children came back from the trip ("se los llevó de vacaciones y ya regresaron"),
#: unless a negation comes just before ("and never came back", "todavía no regresan").
_CAME_BACK = re.compile(
    r"\b(?:(?:regresaron|volvieron|(?:me )?(?:los|las|la|lo) (?:regreso|devolvio|trajo))"
    r"(?! (?:a|al|para)\b(?! casa))"
    r"|ya (?:estan|esta) (?:de vuelta|aqui|aca|conmigo)"
    r"|(?:they|kids|children|them|sons?|daughters?) (?:all )?(?:came back|are back|got back"
    r"|returned (?:home|to me|to us))"
    rf"|(?:brought|returned|sent) {_CHILDREN} back)\b"
)
_RETURN_NEGATIONS = frozenset(
    {"no", "not", "never", "nunca", "didnt", "havent", "hasnt", "hadnt", "wont", "dont"}
    | {"doesnt", "todavia", "aun", "if", "si", "until", "hasta"}
)
_INTENT_PATTERNS = {
    Intent.ABDUCTION: re.compile(
        "|".join(
            [
                r"\b(?:kidnap\w*|abduct\w*|wrongfully (?:kept|retained|removed))",
                r"\b(?:wont|will not|refuses? to|doesnt want to|wouldnt|never|not going to"
                rf"|didnt|did not|hasnt|has not) (?:bring|brought|give|send|sent)\w* {_CHILDREN}"
                r" back\b",
                r"\b(?:wont|will not|refuses? to|doesnt want to|wouldnt|never|didnt|did not"
                rf"|hasnt|has not|not) (?:return\w*|bring\w* back) {_CHILDREN}\b",
                r"\bse (?:los|las|la|lo) (?:llevo|llevaron)\b",
                r"\bse llevaron a (?:mis|mi|los|las|nuestros|nuestra|nuestro|el|la)"
                r" (?:hij|nin|beb|muchach)",
                r"\bse llevo a (?:mis|mi|los|las|nuestros|nuestra|nuestro|el|la)"
                r" (?:hij|nin|beb|muchach)",
                r"\b(?:secuestr|sustrac|sustraj|retuvo|retiene|robo a mis)",
                r"\bno (?:me )?(?:los|las|la|lo)? ?(?:quiere|quiso|ha querido) "
                r"(?:regresar|devolver|traer)",
                r"\bno (?:me )?(?:los|las|la|lo) (?:devuelve|regresa|ha regresado|trae)",
                r"\bno (?:regreso|ha regresado|devolvio) a (?:mis|los|mi)",
            ]
        )
    ),
    Intent.PERSON: re.compile(
        "|".join(
            [
                r"\b(?:talk|speak|chat|connect|transfer)\w*\b(?: \w+){0,4}? "
                r"(?:person|human|agent|representative|rep|operator|someone|somebody|staff"
                r"|anyone|advisor|specialist|caseworker)\b",
                r"\b(?:real|live|actual) (?:person|human|agent)\b",
                r"\b(?:person|human|someone|somebody|agent|representative)\b(?: \w+){0,3} "
                r"(?:talk|speak)\w* (?:to|with)\b",
                r"\b(?:need|want|get|like) (?:a|an|to talk to a) (?:person|human|agent"
                r"|representative|operator)\b",
                r"\b(?:representative|operator|human being)\b",
                r"\bcall me\b|\bgive me a call\b|\bcall ?back\b",
                r"\b(?:from|with|to) (?:a|an) (?:person|human|agent|representative)\b",
                r"\bcon una persona\b",
                r"^(?:a |an |una |un )?(?:person|human|agent|someone|rep|staff|persona|humano"
                r"|agente|alguien|representante|operador|operadora)(?: please| pls| por favor)?$",
                r"\bhablar con (?:una |un |alguna |algun )?(?:persona|humano|agente|alguien"
                r"|representante|operador|operadora|asesor|especialista)",
                r"\b(?:llamenme|llameme|marquenme|me pueden llamar|me puede llamar"
                r"|me llaman|me llame)\b",
                r"\bpersona real\b|\bun representante\b|\bun operador",
            ]
        )
    ),
    Intent.UNSURE: re.compile(
        "|".join(
            [
                r"\b(?:not (?:\w+ )?sure|dont know|do not know|dunno|idk|no idea|maybe|perhaps"
                r"|not certain|no clue|unsure|i guess)\b",
                r"\bno (?:lo )?se\b(?! (?:fue|llevo|los|las|lo|quiere|quiso|mudo|puede"
                r"|va|ha|han|hizo|me|nos|le|les|regreso|que ha|quedo|encuentra|comunica)\b)"
                r"(?! la(?! verdad))",
                r"\b(?:ni idea|tal vez|talvez|quizas|quiza|a lo mejor|no estoy segur[oa]"
                r"|no sabemos|no tengo idea|nose)\b",
            ]
        )
    ),
    Intent.NO: re.compile(
        "|".join(
            [
                r"^(?:no|nope|nah|n|negative|negativo)(?:$| (?:no|that|thats|it|its|he|hes|she"
                r"|shes|i|im|thank|thanks|gracias|es|el|ella|wrong|not|please|por|mi|my|the"
                r"|este|eso|esa|they|we|sir|maam|senor|senora|incorrect|incorrecto)\b)",
                r"\b(?:wrong|incorrect|incorrecto|incorrecta|not right|not correct"
                r"|no es correcto|no es cierto|esta mal|thats not it|equivocad[oa])\b",
            ]
        )
    ),
    Intent.YES: re.compile(
        "|".join(
            [
                r"^y$",
                r"^(?:\d+ )?(?:yes|yeah|yea|yep|yup|sure|ok|okay|correct|right|exactly|true"
                r"|affirmative|si|claro|correcto|correcta|exacto|exacta|exactamente|afirmativo"
                r"|asi es|eso es|de acuerdo|esta bien|por supuesto|of course|that is right"
                r"|thats right|thats correct"
                r"|that is correct|es correcto|sip|simon|ajam|aha|uh huh)\b",
                r"(?<!not )(?<!no )\b(?:thats right|that is right|thats correct|that is correct"
                r"|es correcto|es cierto|si es|si claro)\b",
            ]
        )
    ),
}

# --- language -----------------------------------------------------------------------------------

#: Frequent words found in one language only (accents dropped, apostrophes joined).
_ENGLISH = frozenset(
    {"the", "and", "i", "my", "is", "in", "to", "of", "he", "she", "you", "it", "with", "for"}
    | {"live", "lives", "help", "need", "want", "not", "dont", "kids", "children", "child"}
    | {"support", "father", "mother", "where", "what", "how", "can", "do", "have", "has"}
    | {"this", "that", "was", "are", "am", "be", "please", "thank", "thanks", "yes", "hello"}
    | {"hi", "would", "like", "know", "from", "but", "our", "his", "her", "they", "them"}
    | {"get", "pay", "court", "back", "took", "moved", "talk", "person", "we", "an", "at"}
    | {"on", "im", "hes", "shes", "wont", "cant", "doesnt", "didnt", "isnt", "who", "why"}
    | {"there", "here", "will", "does", "did", "your", "about", "just", "any", "been", "or"}
    | {"husband", "wife", "dad", "mom", "kid", "son", "daughter", "think", "sure", "idk"}
    | {"someone", "real", "money", "order", "owes", "paying", "nothing", "yeah", "okay"}
    | {"lawyer", "agency", "call", "me", "right", "wrong", "correct", "good", "now", "also"}
    | {"dunno", "nope", "yep", "nah", "yup", "unknown", "clue", "guess", "maybe", "probably"}
    | {"stop", "texting", "english", "spanish", "speak", "address", "street"}
)
_SPANISH = frozenset(
    {"el", "la", "los", "las", "de", "del", "en", "que", "mi", "mis", "es", "esta", "estoy"}
    | {"vivo", "vive", "un", "una", "con", "por", "para", "se", "su", "sus", "yo", "ella"}
    | {"hijos", "hijo", "hija", "ninos", "papa", "mama", "padre", "madre", "ayuda", "necesito"}
    | {"quiero", "hablar", "donde", "como", "pero", "tengo", "tiene", "hola", "gracias"}
    | {"manutencion", "pension", "alimenticia", "si", "porque", "cuando", "nos", "le", "lo"}
    | {"al", "muy", "bien", "ya", "esposo", "esposa", "vivimos", "fue", "mudo", "llevo"}
    | {"persona", "favor", "buenos", "dias", "buenas", "tardes", "noches", "quien", "cual"}
    | {"puedo", "pueden", "hay", "soy", "estamos", "estan", "esto", "eso", "sabe", "nada"}
    | {"alguien", "humano", "agente", "claro", "correcto", "exacto", "ahora", "aqui"}
    | {"regresar", "devolver", "quiere", "dinero", "paga", "pagar", "ex", "tambien", "solo"}
    | {"embargo", "ayudar", "ayudame", "ayudenme", "necesitamos", "favor", "usted", "ustedes"}
    | {"sobre", "hacer", "informacion", "tiempo", "nunca", "todavia", "despues", "antes"}
    | {"hijas", "nina", "nino", "bebe", "secuestro", "llevaron", "regreso", "abogado", "corte"}
    | {"llamenme", "quisiera", "tal", "vez", "quizas", "ni", "entonces", "mexicano", "sabemos"}
    | {"incorrecto", "operadora", "operador", "segura", "seguro", "desconocido", "sip", "exacto"}
    | {"representante", "quiza", "exactamente", "verdad", "gustaria", "llame", "deja"}
    | {"espanol", "ingles", "hablo", "habla", "cerca", "rancho", "pueblo", "urgente"}
    | {"cuanto", "cuesta", "manda", "solicitar", "aplicar", "menores", "marido"}
)
#: "ex" and "me" belong to both languages.
_SPANISH_ONLY = _SPANISH - {"ex"}
_ENGLISH_ONLY = _ENGLISH - {"me"}
#: English terms Spanish texts use as they are ("no paga child support"): they say nothing.
_NEUTRAL_PAIRS = frozenset({("child", "support")})
#: Places whose names say nothing of the language ("don't know" and "militar" do).
_PLACE_KINDS = frozenset({PlaceKind.US_STATE, PlaceKind.US_UNKNOWN, PlaceKind.FOREIGN})
#: One language's words must outnumber the other's this many times.
_LANGUAGE_MARGIN = 2


def understand(text: str, *, reference: ReferenceData) -> Understanding:
    """Read one message (texted, or a speech result) in English or Spanish."""
    text, flags = _flags_as_words(text[:MAX_TEXT_LENGTH])
    cased = words_of(text)
    words = [word.casefold() for word in cased]
    joined = " ".join(words)
    intents = frozenset(
        intent for intent, pattern in _INTENT_PATTERNS.items() if pattern.search(joined)
    ) | ({Intent.ABDUCTION} if _children_taken(joined) else set())
    if _came_back(joined):
        intents -= {Intent.ABDUCTION}
    flag_mentions = _flag_mentions(words, flags, reference)
    mentions = place_mentions(cased, reference=reference) + flag_mentions
    mentions.sort(key=lambda mention: mention.start)
    if words[:1] in (["no"], ["nope"]) and any(m.start == 1 for m in mentions):
        intents |= {Intent.NO}
    whole = None if mentions or intents else _whole_message(cased, reference)
    exact = whole[0] if whole is not None and whole[1] in (Source.EXACT, Source.WORD) else None
    language = _language(words, mentions if exact is None else [*mentions, exact])
    flagged = frozenset(mention.start for mention in flag_mentions)
    readings = _readings(words, mentions, flagged, whole, reference)
    suggestions: tuple[Place, ...] = ()
    if not mentions and not readings and not intents:
        suggestions = _suggestions(words, reference)
    return Understanding(
        language=language,
        intents=intents,
        caller=readings.get(_CALLER),
        other_parent=readings.get(_OTHER),
        place=readings.get(_NOBODY),
        suggestions=suggestions,
    )


def _children_taken(joined: str) -> bool:
    """Someone other than the sender or an agency took or kept the children."""
    return any(
        not _NOT_THE_OTHER_PARENT.search(joined[: match.start()])
        and not _TAKEN_BY_AGENCY.search(joined[match.end() :])
        for match in _CHILDREN_TAKEN.finditer(joined)
    )


def _came_back(joined: str) -> bool:
    """The children are back from a trip: "ya regresaron", "they came back", not "never came
    back"; nor "he took them and came back alone", whose subject is not the children."""
    for match in _CAME_BACK.finditer(joined):
        before = joined[: match.start()].split()[-2:]
        if not any(word in _RETURN_NEGATIONS for word in before):
            return True
    return False


# --- flags --------------------------------------------------------------------------------------

_REGIONAL_A = 0x1F1E6
_FLAG = re.compile("([\U0001f1e6-\U0001f1ff])([\U0001f1e6-\U0001f1ff])")
_FLAG_WORD = "zzflag"


def _flags_as_words(text: str) -> tuple[str, dict[str, str]]:
    """Flag emoji (two regional indicators) become words the scan can place: 🇲🇽 -> MX."""
    flags: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        code = "".join(chr(ord(char) - _REGIONAL_A + ord("A")) for char in match.groups())
        flags[f"{_FLAG_WORD}{code.lower()}"] = code
        return f" {_FLAG_WORD}{code.lower()} "

    return _FLAG.sub(replace, text), flags


def _flag_mentions(
    words: list[str], flags: dict[str, str], reference: ReferenceData
) -> list[Mention]:
    """The flags among the words that are places we know (not 🇪🇺 or a made-up pair)."""
    mentions = []
    for i, word in enumerate(words):
        code = flags.get(word)
        place = None if code is None else place_for_alpha2(code, reference=reference)
        if place is not None:
            mentions.append(Mention(i, i + 1, (place,)))
    return mentions


# --- places and roles ---------------------------------------------------------------------------


def _readings(
    words: list[str],
    mentions: list[Mention],
    flagged: frozenset[int],
    whole: tuple[Mention, Source] | None,
    reference: ReferenceData,
) -> dict[str, PlaceReading]:
    """Each role's place: mentions grouped by the cue before them, then typos after a cue."""
    groups: dict[str, list[Mention]] = {}
    sources: dict[str, set[Source]] = {}
    real = [m for m in mentions if not _is_dont_know(m)]
    previous_end, previous_role, subject = 0, None, None
    for mention in mentions:
        if _is_dont_know(mention):
            role = _dont_know_role(words, mention, has_places=bool(real))
        elif previous_role and _joins(words, previous_end, mention.start):
            role = previous_role
        elif _is_a_name(words, mention):
            role = None
        else:
            role, subject = _role(words, previous_end, mention.start, subject)
        if role == _NOBODY:
            role = _whose_company(words[mention.end : mention.end + 5]) or role
        previous_end, previous_role = mention.end, role
        if role is None or role == _SOMEONE_ELSE:
            continue
        for each in (_CALLER, _OTHER) if role == _BOTH else (role,):
            groups.setdefault(each, []).append(mention)
            sources.setdefault(each, set()).add(_mention_source(mention, flagged))
    for role, group in groups.items():
        homes = [m for m in group if words[m.start - 1 : m.start] not in (["from"], ["de"])]
        if homes and len(homes) < len(group) and len({m.places for m in group}) > 1:
            groups[role] = homes
    covered = {i for m in mentions for i in range(m.start, m.end)}
    for role, places, start in _typo_cues(words, covered, reference):
        if role not in groups and role != _SOMEONE_ELSE:
            groups[role] = [Mention(start, start + 1, places)]
            sources[role] = {Source.TYPO}
    if not groups and whole is not None:
        role = _whole_message_role(words)
        if role in (_CALLER, _OTHER, _NOBODY):
            groups[role] = [whole[0]]
            sources[role] = {whole[1]}
    readings = {}
    for role, group in groups.items():
        places = combined_places(group) if len(group) > 1 else group[0].places
        if not places:
            continue
        source = next(s for s in _SOURCE_ORDER if s in sources[role])
        if source is Source.SENTENCE and _is_whole_message(words, group):
            source = Source.EXACT
        city = next((m.city for m in group if m.city), "")
        readings[role] = PlaceReading(recognition_of(places, reference=reference), source, city)
    return readings


def _is_dont_know(mention: Mention) -> bool:
    return any(place.kind is PlaceKind.DONT_KNOW for place in mention.places)


def _dont_know_role(words: list[str], mention: Mention, *, has_places: bool) -> str | None:
    """ "I don't know where he lives" answers for the other parent; beside a place it is noise."""
    after = words[mention.end : mention.end + 6]
    if any(word in _OTHER_WORDS or word in ("lives", "is", "esta", "vive") for word in after):
        return _OTHER
    return None if has_places else _NOBODY


def _joins(words: list[str], start: int, end: int) -> bool:
    """The words between two places make them one ("Houston, Texas", "Juárez en México"),
    unless one of them is a subject: "vivo en Chicago, el en México" names the other's place."""
    return all(word in _JOINING_WORDS for word in words[start:end]) and not any(
        _subject(words, i) for i in range(start, end)
    )


def _role(
    words: list[str], start: int, end: int, previous: str | None
) -> tuple[str | None, str | None]:
    """Whose place the words before a place say it is, and the subject that said so.

    The nearest subject before the place decides ("I live in Texas and my ex moved to Spain"),
    provided a word of living or going comes with it and nothing says it is a past or future
    place ("he was born in Mexico"). A clause with no subject ("... but lives in Texas") keeps
    the ``previous`` one; "and he in Mexico" leaves the verb out.
    """
    first = max(start, end - _MAX_CUE_WORDS)
    if end >= 2 and words[end - 1] in ("not", "no", "ni"):
        return None, None
    if end >= 2 and words[end - 1] in _AND:
        return _NOBODY, None
    for i in range(end - 1, first - 1, -1):
        role = _subject(words, i)
        if role is None:
            continue
        if role in (_NOBODY, _SOMEONE_ELSE):
            return _with_company(words, i, role), role
        gapped = words[end - 1] in ("en", "in") and all(
            word in _OF_THE_CHILDREN for word in words[i + 1 : end - 1]
        )
        around = words[max(first, i - 3) : end]
        return _checked(role, around, words[i + 1 : end], gapped=gapped), role
    window = words[first:end]
    if any(word in _NOT_HOME_WORDS - _NEGATIONS or word in _COURT_WORDS for word in window):
        return None, None
    if previous and window in (["to"], ["a"]):
        return previous, previous
    if previous and window[:1] and window[0] in _AND and any(w in _LIVING_WORDS for w in window):
        return _checked(previous, window, window, gapped=False), previous
    if end > 0 and words[end - 1] in ("from", "desde"):
        return _CALLER, _CALLER
    return _NOBODY, None


def _checked(role: str, between: list[str], after: list[str], *, gapped: bool) -> str | None:
    """The role, unless the words before the place say it is not where that parent lives.

    ``between``: the words from just before the subject to the place; ``after``: those after
    the subject only, where "visit", "was born" or "wants to" would speak of it.
    """
    if any(word in _COURT_WORDS for word in between):
        return None
    if any(word in _RETURN_WORDS for word in between):
        return role
    if between[-1:] == ["from"] and any(word in _MOVING_WORDS for word in between):
        return None
    not_home = {word for word in after if word in _NOT_HOME_WORDS}
    if not_home and not (not_home <= _WORK_WORDS and {"lives", "live", "vive"} & set(between)):
        return None
    if between[-2:] in (["es", "de"], ["son", "de"]):
        return None
    if not gapped and not any(word in _LIVING_WORDS for word in between):
        return _NOBODY
    if role == _OTHER and (
        between[-1:] == ["from"] or between[-2:] in (["es", "de"], ["is", "de"])
    ):
        return None
    return role


def _with_company(words: list[str], i: int, role: str) -> str:
    """ "me and my kids live in Ohio": children together with a parent are that parent's."""
    before = words[max(0, i - 4) : i]
    if role == _NOBODY and any(word in _AND for word in before):
        if any(word in ("me", "i", "yo", "we") for word in before):
            return _CALLER
        if any(
            words[j] in _OTHER_WORDS and not _describes_sender(words, j)
            for j in range(max(0, i - 4), i)
        ):
            return _OTHER
    return role


def _subject(words: list[str], i: int) -> str | None:
    """The role the word at ``i`` makes the subject of what follows, if any."""
    word = words[i]
    before = words[i - 1] if i else ""
    after = words[i + 1] if i + 1 < len(words) else ""
    if word in _CHILD_WORDS:
        of_them = i >= 2 and words[i - 2] in ("of", "de")
        return _NOBODY if after in _CHILD_VERBS and not of_them else None
    if word in _THIRD_PARTIES:
        return _SOMEONE_ELSE
    if word in _OWN_PARENT and before in _MY:
        return _SOMEONE_ELSE
    if word in _OWN_PARENT and before in _SELF_DESCRIPTION:
        return None
    if word in ("parent", "coparent") and before in ("other", "co"):
        return _OTHER  # "the other parent", as the hotline itself asks, or "my co-parent"
    if word in _OTHER_WORDS and _describes_sender(words, i):
        return _CALLER
    if word in _OTHER_VERBS or (word == "esta" and after == "en"):
        return _noun_before(words, i)
    if word == "el":
        return _OTHER if after in _EL_VERBS else None
    if word == "se" and after in _SE_VERBS:
        return _noun_before(words, i)
    if word in _OTHER_WORDS:
        return _OTHER
    if (
        word in ("i", "yo")
        and before in ("and", "y")
        and i >= 2
        and words[i - 2] in _OTHER_WORDS
        and not _describes_sender(words, i - 2)
    ):
        return _BOTH
    if word in _WHEREABOUTS:
        return _CALLER if before in _MY else _OTHER if before in ("his", "her", "su") else None
    if word in ("him", "her") and after == "in":
        return _OTHER
    if word == "me" and (
        before == "with" or after == "in" or after in ("and", "mude", "vine", "fui", "regrese")
    ):
        return _CALLER
    if word in _CALLER_WORDS:
        return _CALLER
    return None


def _describes_sender(words: list[str], i: int) -> bool:
    """The parent word at ``i`` follows "I'm"/"I am"/"soy" within three words: "I'm the
    mother", "I am their dad", "soy la mamá" is the sender, not the other parent."""
    for j in range(i - 1, max(-1, i - 4), -1):
        if words[j] in _I_AM:
            return True
        if words[j] not in _DESCRIBING:
            return False
    return False


def _noun_before(words: list[str], i: int) -> str:
    """Who a Spanish third-person verb is about: "mi mamá vive", "mi hijo está", else the ex."""
    for j in range(i - 1, max(-1, i - 4), -1):
        if words[j] in ("i", "yo", "we"):
            return _CALLER
        if words[j] in _CHILD_WORDS and not (j >= 2 and words[j - 2] == "de"):
            return _NOBODY
        if words[j] in _OWN_PARENT and j and words[j - 1] in _MY:
            return _SOMEONE_ELSE
        if words[j] in _THIRD_PARTIES:
            return _SOMEONE_ELSE
    return _OTHER


def _whose_company(after: list[str]) -> str | None:
    """ "my kids were taken to India by their father", "my daughter is in Mexico with her dad":
    words after a place with no subject say whose it is."""
    if after[:2] == ["with", "me"] or after[:1] == ["conmigo"]:
        return _CALLER
    if after[:2] in (["is", "where"], ["es", "donde"]) and len(after) > 2:
        role = _subject(after, 2)
        return role if role in (_CALLER, _OTHER) else None
    for i, word in enumerate(after[:-1]):
        if word in ("by", "por", "with", "con") and any(
            w in _OTHER_WORDS for w in after[i + 1 : i + 4]
        ):
            return _OTHER
    return None


def _is_a_name(words: list[str], mention: Mention) -> bool:
    """ "my daughter Guadalupe", "my ex Georgia": a person's name, not a place."""
    before = words[mention.start - 1] if mention.start else ""
    return before in _CHILD_WORDS or before in _OTHER_WORDS or before in ("named", "llama")


def _mention_source(mention: Mention, flagged: frozenset[int]) -> Source:
    if mention.start in flagged:
        return Source.FLAG
    return Source.CITY if mention.city else Source.SENTENCE


def _is_whole_message(words: list[str], group: list[Mention]) -> bool:
    """The message is only the place's name, maybe with "in", "the", "please", "I think"."""
    inside = {i for m in group for i in range(m.start, m.end)}
    return all(i in inside or word in _FILLER for i, word in enumerate(words))


def _typo_cues(
    words: list[str], covered: set[int], reference: ReferenceData
) -> Iterable[tuple[str, tuple[Place, ...], int]]:
    """Misspelt places after a cue ("vivo en Californa"): role, places, where the word is."""
    for i, word in enumerate(words[:-1]):
        if word not in _PLACE_CUES or i + 1 in covered:
            continue
        tail = []
        for later in words[i + 1 : i + 4]:
            if later in _TYPO_STOP or later in _SPANISH_ONLY or later in _ENGLISH_ONLY:
                break
            tail.append(later)
        queries = [" ".join(tail[:size]) for size in range(len(tail), 0, -1)]
        queries = [query for query in queries if len(query) >= _MIN_TYPO_LENGTH]
        if not queries:
            continue
        places = typo_places(queries, reference=reference)
        role, _ = _role(words, 0, i + 1, None)
        if places and role is not None:
            yield role, places, i + 1


def _whole_message_role(words: list[str]) -> str | None:
    """Whose place a message read whole names: the subject before its last place cue ("in",
    "en", "to", "from"...)."""
    last = max((i for i, word in enumerate(words[:-1]) if word in _PLACE_CUES), default=None)
    if last is None:
        return _NOBODY
    role, _ = _role(words, 0, last + 1, None)
    return role


def _whole_message(cased: list[str], reference: ReferenceData) -> tuple[Mention, Source] | None:
    """A message the scan found nothing in, read whole: a code ("TX") or a typo ("Texsa")."""
    finding = read_place(" ".join(cased), reference=reference)
    recognition = finding.recognition
    if isinstance(recognition, Recognized):
        places: tuple[Place, ...] = (recognition.place,)
    elif isinstance(recognition, Ambiguous):
        places = recognition.candidates
    else:
        return None
    source = finding.source
    if source is Source.EXACT and len(cased) > 1:
        source = Source.SENTENCE  # a name among other words ("tx please")
    return Mention(0, len(cased), places, finding.city), source


def _suggestions(words: list[str], reference: ReferenceData) -> tuple[Place, ...]:
    """Places close to a word that is not an everyday word, for "did you mean ...?"."""
    pieces = [
        word
        for word in words
        if len(word) >= 4 and word not in _ENGLISH_ONLY and word not in _SPANISH_ONLY
    ][:12]
    pairs = [f"{a} {b}" for a, b in pairwise(pieces)]
    return suggested_places([*pieces, *pairs], reference=reference)


# --- language -----------------------------------------------------------------------------------


def _language(words: list[str], mentions: list[Mention]) -> Language | None:
    """Spanish or English when the words outside place names clearly are that language."""
    inside = {
        i
        for m in mentions
        if all(place.kind in _PLACE_KINDS for place in m.places)
        for i in range(m.start, m.end)
    }
    for i, pair in enumerate(pairwise(words)):
        if pair in _NEUTRAL_PAIRS:
            inside |= {i, i + 1}
    english = spanish = 0
    for i, word in enumerate(words):
        if i in inside:
            continue
        english += word in _ENGLISH_ONLY
        spanish += word in _SPANISH_ONLY
    if spanish and spanish >= _LANGUAGE_MARGIN * english:
        return Language.ES
    if english and english >= _LANGUAGE_MARGIN * spanish:
        return Language.EN
    return None
