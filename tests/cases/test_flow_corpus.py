"""The message corpus played through the conversation, as the question "where do you live?"
and as a first text: no message may lead to a wrong outcome.

The parent is honest: at a read-back they say YES only when it is what they meant, and NO
otherwise. An outcome (or handoff) that differs from what the message meant is *wrong*; a
question back (a choice, a re-ask, a read-back answered NO) is *asked*, which costs the parent
a step but never misleads them.
"""

from collections import Counter
from dataclasses import dataclass

import pytest

from cases.flow import EffectKind, FlowState, Inbound, Step, Turn, advance, open_text
from routing.engine import Case, FollowUp, Outcome, decide
from routing.reference import Place, PlaceKind
from routing.seed import reference_data_from_files
from tests.corpus import corpus_rows
from tests.flow_helpers import TODAY

#: A first text that is a menu answer is that menu choice ("2": a taken child), not a place.
MENU_ANSWERS = frozenset({"0", "1", "2"})
#: A read-back, then perhaps a province or a follow-up: more turns never come from one message.
MAX_TURNS = 4
#: Of the messages that name both parents' places, the share that must reach their outcome
#: (the rest may be asked back, never answered wrongly).
MIN_RIGHT_RATE = 0.9


@pytest.fixture(scope="module")
def reference():
    return reference_data_from_files()


@pytest.fixture(scope="module")
def corpus():
    return corpus_rows()


def _key(code: str) -> str:
    """A corpus code (``US-TX``, ``ES``, ``US``, ``dont_know``, ``military``) as a flow key."""
    if code == "US":
        return "us_unknown:US"
    if code in ("dont_know", "military"):
        return f"{code}:"
    if code.startswith("US-"):
        return f"us_state:{code}"
    return f"foreign:{code}"


def _place(key: str) -> Place:
    kind, _, code = key.partition(":")
    return Place(PlaceKind(kind), code)


@dataclass(frozen=True)
class Meant:
    """What a corpus row means for the conversation."""

    caller: str = ""
    other: str = ""
    abduction: bool = False
    person: bool = False


def _meant(row) -> Meant:
    intents = set(filter(None, row["intents"].split("|")))
    single = {role: row[role] for role in ("caller", "other") if row[role] and "|" not in row[role]}
    return Meant(
        caller=_key(single["caller"]) if "caller" in single else "",
        other=_key(single["other"]) if "other" in single else "",
        abduction="abduction" in intents,
        person="person" in intents,
    )


def _played(first: Turn, meant: Meant, reference) -> list[Turn]:
    """The turns after the message: YES at a faithful read-back, NO at any other."""
    turns = [first]
    while len(turns) < MAX_TURNS and turns[-1].state.step is Step.READ_BACK:
        state = turns[-1].state
        faithful = (state.caller, state.other_parent) == (meant.caller, meant.other)
        answer = "yes" if faithful else "no"
        turns.append(
            advance(state, Inbound(text=answer), voice=False, reference=reference, today=TODAY)
        )
        if not faithful:
            break
    return turns


def _verdict(turns: list[Turn], meant: Meant, reference) -> str:
    """right, asked or wrong."""
    effects = [effect for turn in turns for effect in turn.effects]
    outcomes = [effect.outcome for effect in effects if effect.kind is EffectKind.OUTCOME]
    handoffs = [effect.reason for effect in effects if effect.kind is EffectKind.HANDOFF]
    state = turns[-1].state
    if meant.abduction:
        if outcomes == [Outcome.CHILD_ABDUCTION] and handoffs == ["abduction"]:
            return "right"
        return "wrong" if outcomes or handoffs else "asked"
    if meant.person:
        if handoffs == ["requested"]:
            return "right"
        return "wrong" if outcomes or handoffs else "asked"
    if handoffs:
        return "wrong"
    both = bool(meant.caller and meant.other)
    told = both and (state.caller, state.other_parent) == (meant.caller, meant.other)
    if outcomes:
        if not told:
            return "wrong"
        case = Case(_place(meant.caller), _place(meant.other))
        expected = decide(case, reference=reference, today=TODAY).outcome
        return "right" if outcomes == [expected] else "wrong"
    if told and state.step is Step.FOLLOW_UP and state.follow_up == FollowUp.THIRD_COUNTRY_ORDER:
        return "right"
    if told and state.step is Step.OTHER_PLACE and meant.other == "military:":
        return "right"
    return "asked"


def _as_answer(text: str, reference) -> Turn:
    asking = FlowState(step=Step.CALLER_PLACE, question="caller")
    return advance(asking, Inbound(text=text), voice=False, reference=reference, today=TODAY)


def _as_first_text(text: str, reference) -> Turn:
    return open_text(
        Inbound(text=text), language="en", returning=False, reference=reference, today=TODAY
    )


@pytest.mark.parametrize("play", [_as_answer, _as_first_text], ids=["answer", "first_text"])
def test_no_message_of_the_corpus_leads_to_a_wrong_outcome(corpus, reference, play):
    verdicts: Counter[str] = Counter()
    wrong = []
    both_right = both = 0
    for row in corpus:
        if play is _as_first_text and row["text"].strip() in MENU_ANSWERS:
            continue
        meant = _meant(row)
        verdict = _verdict(
            _played(play(row["text"], reference), meant, reference), meant, reference
        )
        verdicts[verdict] += 1
        if verdict == "wrong":
            wrong.append(row["text"])
        if meant.caller and meant.other and not (meant.abduction or meant.person):
            both += 1
            both_right += verdict == "right"
    print(f"\n{play.__name__}: {dict(verdicts)}; both places named: {both_right}/{both} right")
    assert wrong == []
    assert both >= 80
    assert both_right / both >= MIN_RIGHT_RATE
