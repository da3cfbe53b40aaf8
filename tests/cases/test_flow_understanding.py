"""The flow with messages as parents write and say them: sentences naming both parents,
cities, intents in words, "not sure", flags, a switch of language, and what a call does with
silence, Canada and "text it to me". Anything taken from free text is read back first."""

import pytest

from cases.flow import (
    MAX_FAILURES,
    EffectKind,
    Expect,
    FlowState,
    Inbound,
    Step,
    current_decision,
    open_text,
    start,
)
from routing.engine import Outcome
from routing.seed import reference_data_from_files
from tests.flow_helpers import TODAY, keys, play


@pytest.fixture(scope="module")
def reference():
    return reference_data_from_files()


def first_text(reference, text):
    return open_text(
        Inbound(text=text), language="en", returning=False, reference=reference, today=TODAY
    )


def outcomes(turn):
    return [e.outcome for e in turn.effects if e.kind is EffectKind.OUTCOME]


def handoffs(turn):
    return [(e.reason, e.priority) for e in turn.effects if e.kind is EffectKind.HANDOFF]


def asking(question="caller", **fields):
    step = Step.CALLER_PLACE if question.startswith("caller") else Step.OTHER_PLACE
    return FlowState(step=step, question=question, **fields)


@pytest.mark.parametrize(
    ("text", "language", "caller", "other"),
    [
        (
            "I live in texas and my ex moved to Spain with the kids",
            "en",
            "us_state:US-TX",
            "foreign:ES",
        ),
        (
            "vivo en california y el papá de mis hijos está en guatemala",
            "es",
            "us_state:US-CA",
            "foreign:GT",
        ),
        ("I live in Mexico but the father lives in Texas", "en", "foreign:MX", "us_state:US-TX"),
    ],
)
def test_a_first_text_naming_both_parents_is_read_back(reference, text, language, caller, other):
    turn = first_text(reference, text)
    assert turn.state.step is Step.READ_BACK
    assert (turn.state.caller, turn.state.other_parent) == (caller, other)
    assert turn.state.language == language
    assert keys(turn) == ["welcome", "read_back"]
    assert turn.expect is Expect.YES_NO
    assert outcomes(turn) == []


def test_yes_to_the_read_back_gives_the_outcome(reference):
    read_back = first_text(reference, "I live in texas and my ex moved to Spain with the kids")
    done = play(reference, ["yes"], state=read_back.state)[-1]
    assert outcomes(done) == [Outcome.US_CALLER_TREATY_COUNTRY]
    assert done.state.step is Step.DONE


def test_a_parent_abroad_is_not_turned_away(reference):
    """The bug: the U.S. parent was recorded as living in Spain ("neither of you ...")."""
    read_back = first_text(reference, "I live in texas and my ex moved to Spain with the kids")
    done = play(reference, ["yes"], state=read_back.state)[-1]
    assert Outcome.OUTSIDE_US_PROGRAM not in outcomes(done)
    mexico = first_text(reference, "I live in Mexico but the father lives in Texas")
    assert outcomes(play(reference, ["yes"], state=mexico.state)[-1]) != [
        Outcome.DOMESTIC_SAME_STATE
    ]


def test_no_to_the_read_back_asks_the_places_again(reference):
    read_back = first_text(reference, "I live in texas and my ex moved to Spain with the kids")
    again = play(reference, ["no"], state=read_back.state)[-1]
    assert again.state.step is Step.CALLER_PLACE
    assert (again.state.caller, again.state.other_parent) == ("", "")
    assert keys(again) == ["read_back_no", "ask_caller_place"]
    assert outcomes(again) == []


def test_a_correction_at_the_read_back_is_used(reference):
    """The half that was right is kept, and the corrected places are read back again."""
    read_back = first_text(reference, "I live in texas and my ex moved to Spain with the kids")
    corrected = play(reference, ["no, I live in Ohio"], state=read_back.state)[-1]
    assert corrected.state.caller == "us_state:US-OH"
    assert corrected.state.other_parent == "foreign:ES"
    assert corrected.state.step is Step.READ_BACK
    assert keys(corrected)[-1] == "read_back"
    assert outcomes(corrected) == []


@pytest.mark.parametrize("text", ["my ex is in France", "no, my ex lives in France"])
def test_correcting_the_other_parent_at_the_read_back_keeps_the_caller(reference, text):
    read_back = first_text(reference, "I live in Texas and my ex is in Germany")
    assert read_back.state.step is Step.READ_BACK
    corrected = play(reference, [text], state=read_back.state)[-1]
    assert (corrected.state.caller, corrected.state.other_parent) == (
        "us_state:US-TX",
        "foreign:FR",
    )
    assert corrected.state.step is Step.READ_BACK
    assert keys(corrected) == ["read_back"]
    done = play(reference, ["yes"], state=corrected.state)[-1]
    assert outcomes(done) == [Outcome.US_CALLER_TREATY_COUNTRY]
    assert done.prompts[0].params["decision"].other_jurisdiction.code == "FR"


def test_a_corrected_place_that_is_ambiguous_is_asked_then_read_back(reference):
    read_back = first_text(reference, "I live in Texas and my ex is in Germany")
    choose = play(reference, ["I live in Georgia"], state=read_back.state)[-1]
    assert choose.state.step is Step.CHOOSE
    assert choose.state.other_parent == "foreign:DE"
    picked = play(reference, ["1"], state=choose.state)[-1]
    assert picked.state.step is Step.READ_BACK
    assert picked.state.other_parent == "foreign:DE"


def test_not_sure_at_the_read_back_is_a_no(reference):
    read_back = first_text(reference, "I live in texas and my ex moved to Spain with the kids")
    unsure = play(reference, ["not sure"], state=read_back.state)[-1]
    assert keys(unsure)[:2] == ["unsure_as_no", "read_back_no"]
    assert unsure.state.step is Step.CALLER_PLACE


def test_exact_answers_are_not_read_back(reference):
    done = play(reference, ["Texas", "Germany"], state=asking())[-1]
    assert outcomes(done) == [Outcome.US_CALLER_TREATY_COUNTRY]


@pytest.mark.parametrize(("word", "state"), [("hi", "us_state:US-HI"), ("oh", "us_state:US-OH")])
def test_a_postal_code_that_is_an_everyday_word_is_read_back(reference, word, state):
    """ "hi" at "where do you live?" may be a greeting: Hawaii is read back, never assumed."""
    turn = play(reference, [word], state=asking())[-1]
    assert turn.state.caller == state
    read_back = play(reference, ["Germany"], state=turn.state)[-1]
    assert read_back.state.step is Step.READ_BACK
    assert outcomes(read_back) == []


@pytest.mark.parametrize(
    ("city", "state"),
    [("Chicago", "us_state:US-IL"), ("Houston", "us_state:US-TX"), ("Tijuana", "foreign:MX")],
)
def test_a_city_is_its_state_or_country_and_is_read_back(reference, city, state):
    turn = play(reference, [city], state=asking())[-1]
    assert turn.state.caller == state
    read_back = play(reference, ["Germany"], state=turn.state)[-1]
    assert read_back.state.step is Step.READ_BACK
    assert outcomes(read_back) == []


def test_chicago_never_gives_guidance_for_china(reference):
    turns = play(reference, ["Chicago", "Germany", "yes"], state=asking())
    decision = current_decision(turns[-1].state, reference=reference, today=TODAY)
    assert decision.state.code == "IL"


def test_an_ambiguous_city_is_asked_with_its_states(reference):
    turn = play(reference, ["Portland"], state=asking())[-1]
    assert turn.state.step is Step.CHOOSE
    assert set(turn.state.candidates) >= {"us_state:US-OR", "us_state:US-ME"}
    assert turn.prompts[-1].params["city"] == "Portland"
    chosen = turn.state.candidates.index("us_state:US-OR") + 1
    picked = play(reference, [str(chosen), "Mexico"], state=turn.state)[-1]
    assert picked.state.caller == "us_state:US-OR"
    assert picked.state.step is Step.READ_BACK


def test_the_other_parent_named_first_is_kept_while_the_caller_is_asked(reference):
    turn = first_text(reference, "My ex moved to Germany with our son, what can I do?")
    assert turn.state.step is Step.CALLER_PLACE
    assert turn.state.other_parent == "foreign:DE"
    read_back = play(reference, ["Florida"], state=turn.state)[-1]
    assert read_back.state.step is Step.READ_BACK
    assert read_back.state.caller == "us_state:US-FL"


@pytest.mark.parametrize(
    "text",
    [
        "my ex took my kids to Brazil and won't bring them back",
        "mi ex se llevó a mis hijos a Brasil y no los quiere regresar",
    ],
)
def test_abduction_in_words_is_urgent_at_any_step(reference, text):
    first = first_text(reference, text)
    assert outcomes(first) == [Outcome.CHILD_ABDUCTION]
    assert handoffs(first) == [("abduction", "urgent")]
    later = play(reference, [text], state=asking("other", caller="us_state:US-TX"))[-1]
    assert handoffs(later) == [("abduction", "urgent")]


@pytest.mark.parametrize(
    "text",
    ["I want to talk to a real person", "representative", "operator", "quiero hablar con alguien"],
)
def test_asking_for_a_person_in_words_hands_off(reference, text):
    turn = play(reference, [text], state=asking())[-1]
    assert turn.state.step is Step.HANDOFF
    assert handoffs(turn) == [("requested", "normal")]


def test_asking_for_a_person_by_voice_hands_off(reference):
    turn = play(reference, ["talk to a person"], state=asking(), voice=True)[-1]
    assert handoffs(turn) == [("requested", "normal")]


def test_spanish_without_a_greeting_is_answered_in_spanish(reference):
    turn = first_text(reference, "Necesito ayuda con la manutención de mis hijos")
    assert turn.state.language == "es"
    assert keys(turn) == ["welcome", "menu"]


def test_a_switch_of_language_midway_is_said(reference):
    turn = play(reference, ["vivo en Texas y el papá está en México"], state=asking())[-1]
    assert turn.state.language == "es"
    assert keys(turn)[0] == "language_switched"


@pytest.mark.parametrize("unsure", ["not sure", "no sé", "no se", "tal vez"])
def test_not_sure_at_a_yes_no_question_is_a_no_and_said_so(reference, unsure):
    state = FlowState(
        step=Step.FOLLOW_UP,
        follow_up="us_ties",
        caller="us_state:US-TX",
        other_parent="foreign:BR",
        outcome=Outcome.US_CALLER_NO_ARRANGEMENT.value,
    )
    turn = play(reference, [unsure], state=state)[-1]
    assert turn.state.us_ties is False
    assert keys(turn)[0] == "unsure_as_no"


def test_a_flag_is_a_place(reference):
    turn = play(reference, ["🇲🇽"], state=asking("other", caller="us_state:US-TX"))[-1]
    assert turn.state.other_parent == "foreign:MX"
    assert turn.state.step is Step.READ_BACK


def test_a_silent_caller_at_the_offer_of_a_person_is_transferred(reference):
    state = play(reference, [None] * MAX_FAILURES, state=asking(), voice=True)[-1].state
    assert state.step is Step.OFFER_PERSON
    turns = play(reference, [None] * MAX_FAILURES, state=state, voice=True)
    assert [handoffs(turn) for turn in turns[:-1]] == [[]] * (MAX_FAILURES - 1)
    assert handoffs(turns[-1]) == [("unrecognized", "normal")]
    assert turns[-1].expect is Expect.NOTHING


def test_canada_by_voice_asks_the_province_by_name(reference):
    turn = play(reference, ["Canada"], state=asking("other", caller="us_state:US-TX"), voice=True)
    choose = turn[-1]
    assert choose.state.step is Step.CHOOSE
    assert len(choose.state.candidates) > 9
    ontario = play(reference, ["Ontario"], state=choose.state, voice=True)[-1]
    assert ontario.state.other_parent == "foreign:CA-ON"


def test_text_it_to_me_ends_the_call_with_a_goodbye(reference):
    answers = [("digits", "1"), ("digits", "1"), "Ohio", "Ohio"]
    state = play(reference, answers, state=start(voice=True).state, voice=True)[-1].state
    assert state.step is Step.DONE
    text_me = play(reference, [("digits", "1")], state=state, voice=True)[-1]
    assert keys(text_me) == ["summary_queued", "goodbye"]
    assert text_me.expect is Expect.NOTHING
    assert [e.kind for e in text_me.effects] == [EffectKind.SEND_SUMMARY]


def test_a_first_text_is_read_once(reference, monkeypatch):
    """The first text's reading serves the welcome and the answer: understanding runs on
    every message, so reading it twice would double its cost on the first one."""
    from cases import flow

    reads = []
    real = flow.understand
    monkeypatch.setattr(
        flow, "understand", lambda text, **kw: reads.append(text) or real(text, **kw)
    )
    first_text(reference, "I live in texas and my ex moved to Spain with the kids")
    assert len(reads) == 1
