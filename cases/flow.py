"""The conversation as a pure state machine, shared by SMS, WhatsApp and voice.

``advance(state, inbound, ...)`` returns the next state, what to say (``Prompt`` keys that the
channel renders as text or speech) and what must happen (``Effect``: a handoff, an outcome
to record, a summary to text). No Django request, no Twilio, no I/O: the reciprocity data
and the day are arguments.

Texted keywords STOP/START are not handled here: opting out is about the phone number, not
the conversation, so the service deals with them before the flow runs.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from cases.keywords import Keyword, keyword_of, normalize
from routing.engine import (
    AGENCY_OUTCOMES,
    Case,
    CaseError,
    Decision,
    FollowUp,
    Outcome,
    decide,
    decide_abduction,
)
from routing.places import Ambiguous, Recognized
from routing.reference import Language, Place, PlaceKind, ReferenceData
from routing.understanding import Intent, PlaceReading, Source, Understanding, understand

#: Failed answers to one question before a person is offered.
MAX_FAILURES = 3
#: Below this speech confidence a spoken place is read back (with the other) before the outcome.
MIN_SPEECH_CONFIDENCE = 0.6

_YES = frozenset({"yes", "y", "si", "1", "yeah", "yep", "sure", "ok", "claro", "correct"})
_NO = frozenset({"no", "n", "2", "nope", "nah"})
#: Words a message needs before its language switches a conversation already under way.
MIN_WORDS_TO_SWITCH = 3
#: Menu answers that a first text may be, as well as a keyword.
_MENU_ANSWERS = frozenset({"1", "2", "0"})


class Step(StrEnum):
    LANGUAGE = "language"
    MENU = "menu"
    CALLER_PLACE = "caller_place"
    OTHER_PLACE = "other_place"
    CHOOSE = "choose"
    READ_BACK = "read_back"
    FOLLOW_UP = "follow_up"
    OFFER_PERSON = "offer_person"
    DONE = "done"
    HANDOFF = "handoff"
    CHECK_IN = "check_in"


class Question(StrEnum):
    """Which place question a place or CHOOSE step is answering."""

    CALLER = "caller"
    CALLER_STATE = "caller_state"
    OTHER = "other"
    MILITARY_STATE = "military_state"


class Expect(StrEnum):
    """The shape of the next answer (voice builds its ``<Gather>`` from it)."""

    DIGIT = "digit"
    PLACE = "place"
    YES_NO = "yes_no"
    CHOICE = "choice"
    NOTHING = "nothing"


class HandoffReason(StrEnum):
    """Why a person is needed (the handoff's reason, shown to staff)."""

    REQUESTED = "requested"
    ABDUCTION = "abduction"
    UNRECOGNIZED = "unrecognized"
    CHECK_IN = "check_in"
    VOICEMAIL = "voicemail"
    MESSAGE_CAP = "message_cap"


class HandoffPriority(StrEnum):
    URGENT = "urgent"
    NORMAL = "normal"


class EffectKind(StrEnum):
    HANDOFF = "handoff"
    OUTCOME = "outcome"
    SEND_SUMMARY = "send_summary"


@dataclass(frozen=True)
class Prompt:
    """Something to say: a template key and the facts it shows."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Effect:
    """Something the service must do; ``check_in``: the outcome sent the caller to an agency."""

    kind: EffectKind
    reason: HandoffReason | None = None
    priority: HandoffPriority = HandoffPriority.NORMAL
    outcome: Outcome | None = None
    check_in: bool = False


@dataclass(frozen=True)
class Inbound:
    """One answer: typed or spoken ``text``, keypad ``digits``, or nothing at all."""

    text: str = ""
    digits: str = ""
    confidence: float | None = None
    no_input: bool = False
    has_media: bool = False


@dataclass(frozen=True)
class FlowState:
    """Everything the flow remembers between messages (stored as JSON on the conversation)."""

    step: Step = Step.MENU
    language: Language = Language.EN
    caller: str = ""
    other_parent: str = ""
    military: bool = False
    us_ties: bool | None = None
    third_country_order: bool | None = None
    question: Question | None = None
    candidates: tuple[str, ...] = ()
    follow_up: FollowUp | None = None
    resume: Step | None = None
    failures: int = 0
    outcome: Outcome | None = None
    read_back: bool = False
    city: str = ""

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["candidates"] = list(self.candidates)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FlowState:
        known = {f.name for f in dataclasses.fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        if _CONFIRM in (values.get("step"), values.get("resume")):
            values = _unconfirmed(values)
        values["step"] = Step(values.get("step", Step.MENU))
        values["language"] = Language(values.get("language", Language.EN))
        for name, kind in (
            ("question", Question),
            ("follow_up", FollowUp),
            ("resume", Step),
            ("outcome", Outcome),
        ):
            # Conversations stored before these were typed keep "" for "none yet".
            values[name] = kind(values[name]) if values.get(name) else None
        values["candidates"] = tuple(values.get("candidates", ()))
        return cls(**values)

    @property
    def answers(self) -> dict[str, Any]:
        """The answers so far, for staff and the API."""
        answers = {
            "caller": self.caller,
            "other_parent": self.other_parent,
            "other_parent_military": self.military,
            "us_ties": self.us_ties,
            "third_country_order": self.third_country_order,
        }
        return {key: value for key, value in answers.items() if value not in ("", None, False)}


#: The step that once asked "did you say Texas?" (now the read-back's job), in stored calls.
_CONFIRM = "confirm"


def _unconfirmed(values: dict[str, Any]) -> dict[str, Any]:
    """A call stored at the old "did you say ...?" step (or due to resume it) asks its place
    question again: the place it was unsure of is dropped."""
    question = values.get("question")
    other = question in (Question.OTHER, Question.MILITARY_STATE)
    place_step = Step.OTHER_PLACE if other else Step.CALLER_PLACE
    values = {**values, "candidates": ()}
    for name in ("step", "resume"):
        if values.get(name) == _CONFIRM:
            values[name] = place_step
    return values


@dataclass(frozen=True)
class Turn:
    state: FlowState
    prompts: tuple[Prompt, ...]
    effects: tuple[Effect, ...] = ()
    expect: Expect = Expect.NOTHING


def place_key(place: Place) -> str:
    return f"{place.kind.value}:{place.code}"


def place_from_key(key: str) -> Place:
    kind, _, code = key.partition(":")
    return Place(PlaceKind(kind), code)


def start(*, voice: bool, language: str = Language.EN, returning: bool = False) -> Turn:
    """The first turn of a conversation: a call picks its language, a text sees the menu.

    ``language`` is the number's last one (the contact's), a ``Language`` value."""
    if voice:
        state = FlowState(step=Step.LANGUAGE, language=Language(language))
        return Turn(state, (Prompt("language_menu"),), expect=Expect.DIGIT)
    state = FlowState(step=Step.MENU, language=Language(language))
    greeting = Prompt("welcome_back" if returning else "welcome")
    return Turn(state, (greeting, Prompt("menu")), expect=Expect.DIGIT)


def open_text(
    inbound: Inbound,
    *,
    language: str,
    returning: bool,
    reference: ReferenceData,
    today: datetime.date,
) -> Turn:
    """The first text of a conversation: a welcome in the texter's language, and the text
    itself used when it already says something ("my ex took my kids to Brazil")."""
    reading = _read(inbound, reference)
    first = start(voice=False, language=reading.language or language, returning=returning)
    keyword = keyword_of(inbound.text)
    says_something = (
        keyword not in (None, Keyword.START)
        or normalize(inbound.text) in _MENU_ANSWERS
        or bool(reading.intents & {Intent.ABDUCTION, Intent.PERSON})
        or reading.caller is not None
        or reading.other_parent is not None
    )
    if not says_something:
        return first
    ctx = _Context(voice=False, reference=reference, today=today, reading=reading)
    turn = _advanced(first.state, inbound, ctx)
    if keyword is not None:
        return turn
    return dataclasses.replace(turn, prompts=(first.prompts[0], *turn.prompts))


@dataclass(frozen=True)
class _Context:
    voice: bool
    reference: ReferenceData
    today: datetime.date
    reading: Understanding


def _read(inbound: Inbound, reference: ReferenceData) -> Understanding:
    if not inbound.text.strip():
        return Understanding()
    return understand(inbound.text, reference=reference)


def advance(
    state: FlowState,
    inbound: Inbound,
    *,
    voice: bool,
    reference: ReferenceData,
    today: datetime.date,
) -> Turn:
    """The caller's answer to the current question moves the conversation on."""
    ctx = _Context(voice=voice, reference=reference, today=today, reading=_read(inbound, reference))
    return _advanced(state, inbound, ctx)


def _advanced(state: FlowState, inbound: Inbound, ctx: _Context) -> Turn:
    """``advance`` with the message already read (a first text is read once, not twice)."""
    switched = _switched_language(state, inbound, ctx)
    if switched:
        state = dataclasses.replace(state, language=switched)
    turn = _global_commands(state, inbound, ctx)
    if turn is None:
        turn = _HANDLERS[state.step](state, inbound, ctx)
    if switched:
        return dataclasses.replace(turn, prompts=(Prompt("language_switched"), *turn.prompts))
    return turn


def _switched_language(state: FlowState, inbound: Inbound, ctx: _Context) -> Language | None:
    """A text plainly in the other language switches the conversation to it (None if not).

    A few words ("don't know", "sí") are not enough once a language is in use: parents mix
    languages in short answers, and switching on them would flip the conversation back and
    forth.
    """
    language = ctx.reading.language
    if ctx.voice or not language or language == state.language or keyword_of(inbound.text):
        return None
    if len(inbound.text.split()) < MIN_WORDS_TO_SWITCH:
        return None
    return language


def current_decision(
    state: FlowState, *, reference: ReferenceData, today: datetime.date
) -> Decision | None:
    """The guidance this conversation reached, recomputed from its answers; None before both
    places are known, or when staff have since deleted or split a place it names."""
    if state.outcome == Outcome.CHILD_ABDUCTION:
        return decide_abduction(reference=reference, today=today)
    if not (state.caller and state.other_parent):
        return None
    try:
        return decide(_case(state), reference=reference, today=today)
    except CaseError:
        return None


# --- commands valid at any point -----------------------------------------------------------


def _global_commands(state: FlowState, inbound: Inbound, ctx: _Context) -> Turn | None:
    if ctx.voice:
        if inbound.digits == "0" and state.step is not Step.HANDOFF:
            return _handoff(state, HandoffReason.REQUESTED, ctx)
        if inbound.digits == "*":
            return _ask(state)
        if inbound.no_input and state.step is Step.DONE:
            return Turn(state, (Prompt("goodbye"),), expect=Expect.NOTHING)
        if inbound.no_input:
            return _failed(state, ctx, Prompt("no_input"))
        return _intents(state, ctx)
    keyword = keyword_of(inbound.text)
    if keyword is Keyword.MENU:
        return _to_menu(state, ctx)
    if keyword is Keyword.AGENT:
        return _handoff(state, HandoffReason.REQUESTED, ctx)
    if keyword is Keyword.MORE and state.outcome:
        decision = current_decision(state, reference=ctx.reference, today=ctx.today)
        if decision is None:
            return _places_changed(state)
        turn = _ask(state)
        full = Prompt("outcome_full", {"decision": decision})
        after = tuple(_details_shown(prompt) for prompt in turn.prompts)
        return dataclasses.replace(turn, prompts=(full, *after))
    if keyword in (Keyword.HELP, Keyword.MORE):
        turn = _ask(state)
        return dataclasses.replace(turn, prompts=(Prompt("help"), *turn.prompts))
    if keyword in (Keyword.SPANISH, Keyword.ENGLISH):
        language = Language.ES if keyword is Keyword.SPANISH else Language.EN
        return _ask(dataclasses.replace(state, language=language))
    if inbound.has_media and not inbound.text.strip():
        turn = _ask(state)
        return dataclasses.replace(turn, prompts=(Prompt("media_only"), *turn.prompts))
    if _blank(inbound, ctx) and state.step not in (Step.DONE, Step.HANDOFF):
        return _ask(state)
    return _intents(state, ctx)


def _details_shown(prompt: Prompt) -> Prompt:
    """The closing line once the details were sent: it no longer offers MORE."""
    if prompt.key != "after_outcome":
        return prompt
    return Prompt("after_outcome", {"details_shown": True})


def _blank(inbound: Inbound, ctx: _Context) -> bool:
    """No words and nothing read (a flag has no words but names a place)."""
    reading = ctx.reading
    named = reading.caller or reading.other_parent or reading.place
    return not normalize(inbound.text) and named is None


def _intents(state: FlowState, ctx: _Context) -> Turn | None:
    """What a message asks for in words, at any step: a taken child, or a person."""
    intents = ctx.reading.intents
    if Intent.ABDUCTION in intents and state.outcome != Outcome.CHILD_ABDUCTION:
        return _abduction(state, ctx)
    if Intent.PERSON in intents and state.step is not Step.HANDOFF:
        return _handoff(state, HandoffReason.REQUESTED, ctx)
    return None


# --- asking -----------------------------------------------------------------------------------


def _ask(state: FlowState) -> Turn:
    """The prompts for the question the state is waiting on."""
    step = state.step
    if step is Step.LANGUAGE:
        return Turn(state, (Prompt("language_menu"),), expect=Expect.DIGIT)
    if step is Step.MENU:
        return Turn(state, (Prompt("menu"),), expect=Expect.DIGIT)
    if step in (Step.CALLER_PLACE, Step.OTHER_PLACE):
        return Turn(state, (Prompt(_PLACE_QUESTIONS[_asked(state)]),), expect=Expect.PLACE)
    if step is Step.CHOOSE:
        return Turn(state, (_choose_prompt(state),), expect=Expect.CHOICE)
    if step is Step.READ_BACK:
        return Turn(state, (_read_back_prompt(state),), expect=Expect.YES_NO)
    if step is Step.FOLLOW_UP:
        return Turn(state, (_follow_up_prompt(state),), expect=Expect.YES_NO)
    if step is Step.OFFER_PERSON:
        return Turn(state, (Prompt("offer_person"),), expect=Expect.YES_NO)
    if step is Step.DONE:
        return Turn(state, (Prompt("after_outcome"),), expect=Expect.DIGIT)
    if step is Step.CHECK_IN:
        return Turn(state, (Prompt("not_understood_yes_no"),), expect=Expect.YES_NO)
    return Turn(state, (Prompt("handoff_waiting"),), expect=Expect.NOTHING)


_PLACE_QUESTIONS = {
    Question.CALLER: "ask_caller_place",
    Question.CALLER_STATE: "ask_caller_state",
    Question.OTHER: "ask_other_place",
    Question.MILITARY_STATE: "ask_military_state",
}


def _choose_prompt(state: FlowState) -> Prompt:
    places = [place_from_key(key) for key in state.candidates]
    subdivision = all(p.kind is PlaceKind.FOREIGN and "-" in p.code for p in places)
    params = {"candidates": state.candidates, "subdivision": subdivision, "city": state.city}
    return Prompt("choose", params)


def _read_back_prompt(state: FlowState) -> Prompt:
    """What the hotline took from free text, for a YES before the outcome rests on it."""
    params = {
        "caller": state.caller,
        "other_parent": state.other_parent,
        "military": state.military,
    }
    return Prompt("read_back", params)


def _follow_up_prompt(state: FlowState) -> Prompt:
    if state.follow_up == FollowUp.THIRD_COUNTRY_ORDER:
        return Prompt("follow_up_third_country", {"country": state.caller})
    return Prompt("follow_up_us_ties", {"country": state.other_parent})


def _failed(state: FlowState, ctx: _Context, *reasons: Prompt) -> Turn:
    """A wrong or missing answer: ask again, offer a person after the third, and hand the
    conversation to a person when even that offer goes unanswered three times."""
    failures = state.failures + 1
    if failures >= MAX_FAILURES and state.step is Step.OFFER_PERSON:
        resumed = dataclasses.replace(state, step=state.resume or Step.MENU, resume=None)
        return _handoff(resumed, HandoffReason.UNRECOGNIZED, ctx)
    if failures >= MAX_FAILURES:
        offered = dataclasses.replace(state, step=Step.OFFER_PERSON, resume=state.step, failures=0)
        return Turn(offered, (*reasons, Prompt("offer_person")), expect=Expect.YES_NO)
    turn = _ask(dataclasses.replace(state, failures=failures))
    return dataclasses.replace(turn, prompts=(*reasons, *turn.prompts))


def _asked(state: FlowState) -> Question:
    """The place question this step answers; a place step stored without one (which the flow
    never writes) starts again at the first."""
    return state.question or Question.CALLER


def _first_question(state: FlowState) -> FlowState:
    """A fresh start at "where do you live?", in the conversation's language."""
    return FlowState(step=Step.CALLER_PLACE, language=state.language, question=Question.CALLER)


def _to_menu(state: FlowState, ctx: _Context) -> Turn:
    return _ask(FlowState(step=Step.MENU, language=state.language))


def _places_changed(state: FlowState) -> Turn:
    """Staff deleted or split a place this conversation named, so its guidance cannot be
    given any more: say so and start again from the menu (which offers a person)."""
    turn = _ask(FlowState(step=Step.MENU, language=state.language))
    return dataclasses.replace(turn, prompts=(Prompt("places_changed"), *turn.prompts))


def _handoff(state: FlowState, reason: HandoffReason, ctx: _Context) -> Turn:
    urgent = reason is HandoffReason.ABDUCTION
    priority = HandoffPriority.URGENT if urgent else HandoffPriority.NORMAL
    outcome = state.outcome or Outcome.HANDOFF_REQUESTED
    handed = dataclasses.replace(state, step=Step.HANDOFF, outcome=outcome, failures=0)
    effects = [Effect(EffectKind.HANDOFF, reason=reason, priority=priority)]
    if not state.outcome:
        effects.append(Effect(EffectKind.OUTCOME, outcome=outcome))
    return Turn(handed, (Prompt("handoff"),), tuple(effects), expect=Expect.NOTHING)


# --- steps ------------------------------------------------------------------------------------


def _on_language(state: FlowState, inbound: Inbound, ctx: _Context) -> Turn:
    answer = inbound.digits or normalize(inbound.text)
    language = {"1": Language.EN, "2": Language.ES}.get(answer)
    if language is None and answer:
        if any(word in answer for word in ("espanol", "spanish")):
            language = Language.ES
        elif any(word in answer for word in ("english", "ingles")):
            language = Language.EN
    if language is None:
        return _failed(state, ctx, Prompt("not_understood_menu"))
    chosen = FlowState(step=Step.MENU, language=language)
    return Turn(chosen, (Prompt("welcome"), Prompt("menu")), expect=Expect.DIGIT)


def _on_menu(state: FlowState, inbound: Inbound, ctx: _Context) -> Turn:
    answer = inbound.digits or normalize(inbound.text)
    if answer == "1":
        return _ask(_first_question(state))
    if answer == "2":
        return _abduction(state, ctx)
    if answer == "0":
        return _handoff(state, HandoffReason.REQUESTED, ctx)
    asking = _first_question(state)
    reading = ctx.reading
    if reading.caller or reading.other_parent:
        return _places_used(asking, ctx)
    if reading.place:
        # A bare place could be either parent's: start the questions rather than guess.
        return _ask(asking)
    return _failed(state, ctx, Prompt("not_understood_menu"))


def _abduction(state: FlowState, ctx: _Context) -> Turn:
    """A child taken or kept abroad: the urgent guidance and an urgent handoff, from any step."""
    decision = decide_abduction(reference=ctx.reference, today=ctx.today)
    done = FlowState(step=Step.DONE, language=state.language, outcome=decision.outcome)
    return Turn(
        done,
        (Prompt("outcome", {"decision": decision}), Prompt("after_outcome")),
        (
            Effect(
                EffectKind.HANDOFF, reason=HandoffReason.ABDUCTION, priority=HandoffPriority.URGENT
            ),
            Effect(EffectKind.OUTCOME, outcome=decision.outcome),
        ),
        expect=Expect.DIGIT,
    )


def _on_place(state: FlowState, inbound: Inbound, ctx: _Context) -> Turn:
    if _blank(inbound, ctx):
        return _failed(state, ctx, Prompt("not_understood_place"))
    reading = ctx.reading
    if reading.caller is not None or reading.other_parent is not None or reading.place is not None:
        return _places_used(state, ctx, confidence=inbound.confidence)
    question = _asked(state)
    if question is Question.OTHER and Intent.UNSURE in ctx.reading.intents:
        return _accept(state, question, Place(PlaceKind.DONT_KNOW), ctx)
    suggestions = tuple(p for p in ctx.reading.suggestions if _allowed(question, p))
    if suggestions and state.failures + 1 < MAX_FAILURES:
        failing = dataclasses.replace(state, failures=state.failures + 1)
        turn = _ask(_choosing(failing, suggestions, guess=True))
        return dataclasses.replace(turn, prompts=(Prompt("not_understood_place"), *turn.prompts))
    return _failed(state, ctx, Prompt("not_understood_place"))


def _places_used(state: FlowState, ctx: _Context, confidence: float | None = None) -> Turn:
    """The places a message names, each for the parent its words point to ("I live in Texas
    and my ex is in Spain"); a place named with no such words answers the question asked.

    Only for a message that names a place (a caller's, the other parent's, or a bare one).
    """
    reading = ctx.reading
    question = _asked(state)
    asks_caller = question in (Question.CALLER, Question.CALLER_STATE)
    caller, other = reading.caller, reading.other_parent
    if reading.place is not None:
        if asks_caller and caller is None:
            caller = reading.place
        elif not asks_caller and other is None:
            other = reading.place
    if asks_caller:
        if other is not None:
            state = _remembered_other(state, other)
        if caller is None:
            return _ask(state)
        return _answer(state, question, caller, ctx, confidence)
    if caller is not None:
        state = _corrected_caller(state, caller)
    if other is None:
        return _ask(state)
    return _answer(state, question, other, ctx, confidence)


def _remembered_other(state: FlowState, reading: PlaceReading) -> FlowState:
    """The other parent's place, named before the caller's, kept until the caller's is known."""
    if not isinstance(reading.recognition, Recognized):
        return state
    return dataclasses.replace(
        state, other_parent=place_key(reading.recognition.place), read_back=True
    )


def _corrected_caller(state: FlowState, reading: PlaceReading) -> FlowState:
    """ "I live in Ohio" while the other parent's place is asked replaces the caller's answer."""
    recognition = reading.recognition
    if not isinstance(recognition, Recognized) or recognition.place.kind not in (
        PlaceKind.US_STATE,
        PlaceKind.FOREIGN,
    ):
        return state
    return dataclasses.replace(state, caller=place_key(recognition.place), read_back=True)


def _answer(
    state: FlowState,
    question: Question,
    reading: PlaceReading,
    ctx: _Context,
    confidence: float | None,
) -> Turn:
    """One place answering ``question``: taken, or chosen from a short list. A place not
    said exactly, or heard with low confidence, is read back before the outcome."""
    state = dataclasses.replace(
        state,
        question=question,
        read_back=state.read_back or reading.source is not Source.EXACT,
    )
    recognition = reading.recognition
    if isinstance(recognition, Recognized):
        place = recognition.place
        unsure = confidence is not None and confidence < MIN_SPEECH_CONFIDENCE
        if ctx.voice and unsure and _allowed(question, place):
            state = dataclasses.replace(state, read_back=True)
        return _accept(state, question, place, ctx)
    assert isinstance(recognition, Ambiguous)
    candidates = tuple(p for p in recognition.candidates if _allowed(question, p))
    if len(candidates) == 1:
        return _accept(state, question, candidates[0], ctx)
    if candidates:
        return _ask(_choosing(state, candidates, city=reading.city))
    return _failed(state, ctx, _wrong_kind_prompt(question))


def _choosing(
    state: FlowState, candidates: tuple[Place, ...], *, city: str = "", guess: bool = False
) -> FlowState:
    """A numbered choice; ``guess``: the list is the hotline's guesses at an unrecognised
    answer ("did you mean"), so what is picked is read back before the outcome."""
    return dataclasses.replace(
        state,
        step=Step.CHOOSE,
        resume=state.step if state.step is not Step.CHOOSE else state.resume,
        candidates=tuple(place_key(p) for p in candidates),
        city=city,
        read_back=state.read_back or guess,
    )


def _allowed(question: Question, place: Place) -> bool:
    """Which kinds of place answer which question."""
    if question is Question.CALLER:
        return place.kind in (PlaceKind.US_STATE, PlaceKind.US_UNKNOWN, PlaceKind.FOREIGN)
    if question is Question.CALLER_STATE:
        return place.kind is PlaceKind.US_STATE
    if question is Question.MILITARY_STATE:
        return place.kind in (PlaceKind.US_STATE, PlaceKind.US_UNKNOWN, PlaceKind.DONT_KNOW)
    return True


def _wrong_kind_prompt(question: Question) -> Prompt:
    return Prompt(
        {
            Question.CALLER: "caller_place_needed",
            Question.CALLER_STATE: "state_needed",
            Question.MILITARY_STATE: "state_needed",
        }.get(question, "not_understood_place")
    )


def _accept(state: FlowState, question: Question, place: Place, ctx: _Context) -> Turn:
    """A usable place answer: store it and go to the next question or the outcome."""
    back_to = Step.OTHER_PLACE if question in (Question.OTHER, Question.MILITARY_STATE) else None
    base = dataclasses.replace(
        state,
        step=back_to or Step.CALLER_PLACE,
        question=question,
        candidates=(),
        resume=None,
        city="",
    )
    if not _allowed(question, place):
        return _failed(base, ctx, _wrong_kind_prompt(question))
    if place.kind is PlaceKind.FOREIGN and ctx.reference.subdivisions_of(place.code):
        parts = tuple(Place.foreign(j.code) for j in ctx.reference.subdivisions_of(place.code))
        return _ask(_choosing(base, parts))
    if question is Question.CALLER and place.kind is PlaceKind.US_UNKNOWN:
        return _ask(dataclasses.replace(base, question=Question.CALLER_STATE, failures=0))
    if question is Question.OTHER and place.kind is PlaceKind.MILITARY:
        asking = dataclasses.replace(
            base, military=True, question=Question.MILITARY_STATE, failures=0
        )
        return _ask(asking)
    if question in (Question.CALLER, Question.CALLER_STATE):
        asking = dataclasses.replace(
            base,
            step=Step.OTHER_PLACE,
            caller=place_key(place),
            question=Question.OTHER,
            failures=0,
        )
        if asking.other_parent:
            return _accept(asking, Question.OTHER, place_from_key(asking.other_parent), ctx)
        return _ask(asking)
    if place.kind is PlaceKind.DONT_KNOW and question is Question.MILITARY_STATE:
        place = Place(PlaceKind.US_UNKNOWN, "US")
    return _conclude(dataclasses.replace(base, other_parent=place_key(place), failures=0), ctx)


def _on_choose(state: FlowState, inbound: Inbound, ctx: _Context) -> Turn:
    answer = inbound.digits or normalize(inbound.text)
    question = _asked(state)
    if answer.isdigit() and 1 <= int(answer) <= len(state.candidates):
        return _accept(state, question, place_from_key(state.candidates[int(answer) - 1]), ctx)
    resumed = dataclasses.replace(state, step=state.resume or Step.CALLER_PLACE)
    if answer.isdigit():
        return _failed(state, ctx, Prompt("not_understood_choice"))
    return _on_place(resumed, inbound, ctx)


def _on_read_back(state: FlowState, inbound: Inbound, ctx: _Context) -> Turn:
    """YES gives the outcome; NO goes back to the place questions; a correction ("my ex is
    in France") replaces the place it names, keeps the other, and is read back again."""
    answer, said = _yes_no(inbound, ctx)
    if answer is True:
        return _conclude(dataclasses.replace(state, read_back=False, failures=0), ctx)
    reading = ctx.reading
    if reading.caller is not None or reading.other_parent is not None:
        turn = _places_used(_correcting(state, caller=reading.caller is not None), ctx)
        return dataclasses.replace(turn, prompts=(*said, *turn.prompts))
    if answer is None:
        return _failed(state, ctx, Prompt("not_understood_yes_no"))
    turn = _ask(_first_question(state))
    return dataclasses.replace(turn, prompts=(*said, Prompt("read_back_no"), *turn.prompts))


def _correcting(state: FlowState, *, caller: bool) -> FlowState:
    """The read-back's places, open to a correction of the caller's (``caller``) or else the
    other parent's; the other parent's details go with their place."""
    base = dataclasses.replace(
        state, failures=0, candidates=(), resume=None, city="", follow_up=None, read_back=True
    )
    if caller:
        return dataclasses.replace(base, step=Step.CALLER_PLACE, question=Question.CALLER)
    return dataclasses.replace(base, step=Step.OTHER_PLACE, question=Question.OTHER, military=False)


def _on_follow_up(state: FlowState, inbound: Inbound, ctx: _Context) -> Turn:
    answer, said = _yes_no(inbound, ctx)
    if answer is None:
        return _failed(state, ctx, Prompt("not_understood_yes_no"))
    if state.follow_up == FollowUp.THIRD_COUNTRY_ORDER:
        turn = _conclude(dataclasses.replace(state, third_country_order=answer, failures=0), ctx)
        return dataclasses.replace(turn, prompts=(*said, *turn.prompts))
    answered = dataclasses.replace(state, us_ties=answer, failures=0)
    if not answer:
        done = dataclasses.replace(answered, step=Step.DONE, follow_up=None)
        return Turn(done, (*said, Prompt("after_outcome")), expect=Expect.DIGIT)
    return _conclude(answered, ctx)


def _on_offer_person(state: FlowState, inbound: Inbound, ctx: _Context) -> Turn:
    answer, said = _yes_no(inbound, ctx)
    resumed = dataclasses.replace(state, step=state.resume or Step.MENU, resume=None)
    if answer is True:
        return _handoff(resumed, HandoffReason.UNRECOGNIZED, ctx)
    if answer is False:
        turn = _ask(resumed)
        return dataclasses.replace(turn, prompts=(*said, *turn.prompts))
    return _HANDLERS[resumed.step](resumed, inbound, ctx)


def _on_done(state: FlowState, inbound: Inbound, ctx: _Context) -> Turn:
    if ctx.voice:
        answer = inbound.digits or normalize(inbound.text)
        if answer not in ("1", "2"):
            return _failed(state, ctx, Prompt("not_understood_menu"))
        decision = current_decision(state, reference=ctx.reference, today=ctx.today)
        if decision is None:
            return _places_changed(state)
        if answer == "1":
            return Turn(
                state,
                (Prompt("summary_queued"), Prompt("goodbye")),
                (Effect(EffectKind.SEND_SUMMARY, outcome=state.outcome),),
                expect=Expect.NOTHING,
            )
        prompts = (Prompt("outcome", {"decision": decision}), Prompt("after_outcome"))
        return Turn(state, prompts, expect=Expect.DIGIT)
    reading = ctx.reading
    if reading.caller is not None or reading.other_parent is not None:
        return _places_used(_first_question(state), ctx)
    return Turn(state, (Prompt("after_outcome"),), expect=Expect.DIGIT)


def _on_handoff(state: FlowState, inbound: Inbound, ctx: _Context) -> Turn:
    return Turn(state, (Prompt("handoff_waiting"),), expect=Expect.NOTHING)


def _on_check_in(state: FlowState, inbound: Inbound, ctx: _Context) -> Turn:
    """The answer to "were you able to reach them?" sent days after the outcome."""
    answer, said = _yes_no(inbound, ctx)
    if answer is None:
        return _failed(state, ctx, Prompt("not_understood_yes_no"))
    if answer:
        done = dataclasses.replace(state, step=Step.DONE, failures=0)
        return Turn(done, (Prompt("check_in_thanks"), Prompt("after_outcome")), expect=Expect.DIGIT)
    handed = dataclasses.replace(state, step=Step.HANDOFF, failures=0)
    effect = Effect(EffectKind.HANDOFF, reason=HandoffReason.CHECK_IN)
    return Turn(handed, (*said, Prompt("check_in_sorry")), (effect,), expect=Expect.NOTHING)


def check_in_state(state: FlowState) -> FlowState:
    """The state once the check-in question has been texted."""
    return dataclasses.replace(state, step=Step.CHECK_IN, failures=0)


_HANDLERS = {
    Step.LANGUAGE: _on_language,
    Step.MENU: _on_menu,
    Step.CALLER_PLACE: _on_place,
    Step.OTHER_PLACE: _on_place,
    Step.CHOOSE: _on_choose,
    Step.READ_BACK: _on_read_back,
    Step.FOLLOW_UP: _on_follow_up,
    Step.OFFER_PERSON: _on_offer_person,
    Step.DONE: _on_done,
    Step.HANDOFF: _on_handoff,
    Step.CHECK_IN: _on_check_in,
}


# --- concluding -------------------------------------------------------------------------------


def _case(state: FlowState) -> Case:
    return Case(
        caller=place_from_key(state.caller),
        other_parent=place_from_key(state.other_parent),
        other_parent_military=state.military,
        us_ties=state.us_ties,
        third_country_order=state.third_country_order,
    )


def _conclude(state: FlowState, ctx: _Context) -> Turn:
    """Both places known: read back what came from free text, ask a pending follow-up, or
    give the outcome."""
    if state.read_back:
        return _ask(dataclasses.replace(state, step=Step.READ_BACK, failures=0))
    try:
        decision = decide(_case(state), reference=ctx.reference, today=ctx.today)
    except CaseError:
        return _places_changed(state)
    if decision.follow_up is FollowUp.THIRD_COUNTRY_ORDER:
        asking = dataclasses.replace(state, step=Step.FOLLOW_UP, follow_up=decision.follow_up)
        return _ask(asking)
    outcome = decision.outcome
    effects = (
        Effect(EffectKind.OUTCOME, outcome=outcome, check_in=decision.outcome in AGENCY_OUTCOMES),
    )
    told = Prompt("outcome", {"decision": decision})
    if decision.follow_up is FollowUp.US_TIES:
        asking = dataclasses.replace(
            state, step=Step.FOLLOW_UP, follow_up=decision.follow_up, outcome=outcome
        )
        return Turn(asking, (told, _follow_up_prompt(asking)), effects, expect=Expect.YES_NO)
    done = dataclasses.replace(state, step=Step.DONE, follow_up=None, outcome=outcome)
    return Turn(done, (told, Prompt("after_outcome")), effects, expect=Expect.DIGIT)


def _yes_no(inbound: Inbound, ctx: _Context) -> tuple[bool | None, tuple[Prompt, ...]]:
    """YES, NO or None, and what to say first: "not sure" counts as a no, and is told so."""
    answer = inbound.digits or normalize(inbound.text)
    if answer in _YES:
        return True, ()
    if answer in _NO:
        return False, ()
    intents = ctx.reading.intents
    if Intent.UNSURE in intents:
        return False, (Prompt("unsure_as_no"),)
    if Intent.YES in intents and Intent.NO not in intents:
        return True, ()
    if Intent.NO in intents and Intent.YES not in intents:
        return False, ()
    return None, ()
