"""The pure conversation flow: every step, keyword and failure path, without Django."""

import dataclasses

import pytest

from cases.flow import (
    MAX_FAILURES,
    EffectKind,
    Expect,
    FlowState,
    Inbound,
    Question,
    Step,
    current_decision,
    open_text,
    start,
)
from cases.keywords import Keyword, keyword_of
from routing.engine import Outcome
from routing.seed import reference_data_from_files
from tests.flow_helpers import TODAY, keys, play


@pytest.fixture(scope="module")
def reference():
    return reference_data_from_files()


def test_text_start_shows_welcome_and_menu():
    turn = start(voice=False)
    assert keys(turn) == ["welcome", "menu"]
    assert turn.state.step is Step.MENU
    assert keys(start(voice=False, returning=True))[0] == "welcome_back"


def test_call_starts_with_the_language_menu(reference):
    turn = start(voice=True)
    assert turn.state.step is Step.LANGUAGE
    assert turn.expect is Expect.DIGIT
    spanish = play(reference, [("digits", "2")], voice=True)[-1]
    assert spanish.state.language == "es"
    assert keys(spanish) == ["welcome", "menu"]
    spoken = play(reference, ["español"], voice=True)[-1]
    assert spoken.state.language == "es"


def test_full_text_path_records_the_outcome(reference):
    turns = play(reference, ["1", "Texas", "Germany"])
    last = turns[-1]
    assert last.state.step is Step.DONE
    assert keys(last) == ["outcome", "after_outcome"]
    assert [e.outcome for e in last.effects if e.kind is EffectKind.OUTCOME] == [
        Outcome.US_CALLER_TREATY_COUNTRY
    ]
    assert last.prompts[0].params["decision"].outcome is Outcome.US_CALLER_TREATY_COUNTRY
    assert turns[1].expect is Expect.PLACE


def test_place_questions_expect_speech_on_a_call(reference):
    turns = play(reference, [("digits", "1"), ("digits", "1")], voice=True)
    assert turns[-1].state.step is Step.CALLER_PLACE
    assert turns[-1].expect is Expect.PLACE


def test_low_confidence_speech_is_read_back_before_the_outcome(reference):
    """A place heard with low confidence is taken, and read back with the other before the
    outcome: no separate "did you say Texas?" first."""
    turns = play(reference, [("digits", "1"), ("digits", "1"), ("Texas", 0.4)], voice=True)
    assert turns[-1].state.step is Step.OTHER_PLACE
    assert turns[-1].state.caller == "us_state:US-TX"
    assert turns[-1].state.read_back
    assert keys(turns[-1]) == ["ask_other_place"]
    other = play(reference, [("Germany", 0.9)], voice=True, state=turns[-1].state)[-1]
    assert other.state.step is Step.READ_BACK
    assert keys(other) == ["read_back"]
    yes = play(reference, [("digits", "1")], voice=True, state=other.state)[-1]
    assert yes.state.step is Step.DONE
    no = play(reference, [("digits", "2")], voice=True, state=other.state)[-1]
    assert no.state.step is Step.CALLER_PLACE
    assert no.state.caller == ""


def test_low_confidence_sentence_is_confirmed_once(reference):
    """ "I live in Texas" heard at 0.5 was confirmed twice: "did you say Texas?", then the
    read-back before the outcome."""
    answers = [("digits", "1"), ("digits", "1"), ("I live in Texas", 0.5), ("Germany", 0.9)]
    turns = play(reference, answers, voice=True)
    asked = [key for turn in turns for key in keys(turn)]
    assert asked == ["welcome", "menu", "ask_caller_place", "ask_other_place", "read_back"]
    done = play(reference, [("digits", "1")], voice=True, state=turns[-1].state)[-1]
    assert done.state.step is Step.DONE
    assert done.state.caller == "us_state:US-TX"


def test_a_call_stored_at_the_old_confirm_step_asks_its_place_again(reference):
    """A conversation saved mid-call at the "did you say ...?" step (which no longer exists)
    is asked its place question again."""
    stored = {"step": "confirm", "question": "other", "candidates": ["foreign:DE"]}
    state = FlowState.from_json({**stored, "caller": "us_state:US-TX"})
    assert state.step is Step.OTHER_PLACE
    assert state.candidates == ()
    turn = play(reference, [("Germany", 0.9)], voice=True, state=state)[-1]
    assert turn.state.other_parent == "foreign:DE"
    caller = FlowState.from_json({"step": "confirm", "question": "caller_state"})
    assert caller.step is Step.CALLER_PLACE
    assert caller.question is Question.CALLER_STATE
    offered = FlowState.from_json({"step": "offer_person", "resume": "confirm"})
    assert offered.resume is Step.CALLER_PLACE


def test_confident_speech_is_taken_at_once(reference):
    turns = play(reference, [("digits", "1"), ("digits", "1"), ("Texas", 0.6)], voice=True)
    assert turns[-1].state.step is Step.OTHER_PLACE


def test_star_repeats_and_zero_reaches_a_person_on_a_call(reference):
    turns = play(reference, [("digits", "1"), ("digits", "1"), ("digits", "*")], voice=True)
    assert turns[-1].state.step is Step.CALLER_PLACE
    assert keys(turns[-1]) == ["ask_caller_place"]
    zero = play(reference, [("digits", "0")], voice=True, state=turns[-1].state)[-1]
    assert zero.state.step is Step.HANDOFF
    assert [(e.reason, e.priority) for e in zero.effects if e.kind is EffectKind.HANDOFF] == [
        ("requested", "normal")
    ]


def test_silence_is_asked_again_then_a_person_offered(reference):
    state = play(reference, [("digits", "1"), ("digits", "1")], voice=True)[-1].state
    turns = play(reference, [None] * MAX_FAILURES, voice=True, state=state)
    assert keys(turns[0]) == ["no_input", "ask_caller_place"]
    assert turns[-1].state.step is Step.OFFER_PERSON
    accepted = play(reference, [("digits", "1")], voice=True, state=turns[-1].state)[-1]
    assert [e.reason for e in accepted.effects if e.kind is EffectKind.HANDOFF] == ["unrecognized"]


def test_call_outcome_menu_texts_repeats_and_connects(reference):
    state = play(
        reference,
        [("digits", "1"), ("digits", "1"), "Ohio", "Ohio"],
        voice=True,
    )[-1].state
    assert state.step is Step.DONE
    text_me = play(reference, [("digits", "1")], voice=True, state=state)[-1]
    assert [e.kind for e in text_me.effects] == [EffectKind.SEND_SUMMARY]
    again = play(reference, [("digits", "2")], voice=True, state=state)[-1]
    assert keys(again) == ["outcome", "after_outcome"]


def test_abduction_is_urgent(reference):
    turn = play(reference, ["2"])[-1]
    assert turn.state.outcome == Outcome.CHILD_ABDUCTION
    assert [(e.reason, e.priority) for e in turn.effects if e.kind is EffectKind.HANDOFF] == [
        ("abduction", "urgent")
    ]
    assert current_decision(turn.state, reference=reference, today=TODAY).outcome is (
        Outcome.CHILD_ABDUCTION
    )


def test_ambiguous_then_choice_by_number_or_name(reference):
    turns = play(reference, ["1", "Georgia"])
    assert turns[-1].state.step is Step.CHOOSE
    by_name = play(reference, ["Georgia state"], state=turns[-1].state)[-1]
    assert by_name.state.caller == "us_state:US-GA"
    by_number = play(reference, ["2"], state=turns[-1].state)[-1]
    assert by_number.state.caller == "foreign:GE"
    out_of_range = play(reference, ["7"], state=turns[-1].state)[-1]
    assert out_of_range.state.step is Step.CHOOSE
    assert keys(out_of_range)[0] == "not_understood_choice"


def test_canada_asks_for_province_even_after_choosing_canada(reference):
    turns = play(reference, ["1", "CA"])
    assert turns[-1].state.step is Step.CHOOSE
    canada = turns[-1].state.candidates.index("foreign:CA") + 1
    provinces = play(reference, [str(canada)], state=turns[-1].state)[-1]
    assert provinces.state.step is Step.CHOOSE
    assert provinces.prompts[0].params["subdivision"] is True
    assert "foreign:CA-QC" in provinces.state.candidates


def test_caller_must_give_their_own_place(reference):
    turn = play(reference, ["1", "don't know"])[-1]
    assert turn.state.step is Step.CALLER_PLACE
    assert keys(turn)[0] == "caller_place_needed"


def test_us_without_state_asks_the_state(reference):
    turn = play(reference, ["1", "Estados Unidos"])[-1]
    assert keys(turn) == ["ask_caller_state"]
    foreign = play(reference, ["France"], state=turn.state)[-1]
    assert keys(foreign)[0] == "state_needed"


def test_military_asks_home_state(reference):
    turns = play(reference, ["1", "Mexico", "military", "Virginia", "no"])
    assert keys(turns[2]) == ["ask_military_state"]
    assert turns[-1].state.military is True
    decision = current_decision(turns[-1].state, reference=reference, today=TODAY)
    assert decision.other_state.code == "VA"


def test_unrecognized_place_offers_suggestions(reference):
    turn = play(reference, ["1", "Texsass"])[-1]
    assert turn.state.step in (Step.CHOOSE, Step.OTHER_PLACE)


def test_keywords_at_any_point(reference):
    state = play(reference, ["1", "Texas"])[-1].state
    menu = play(reference, ["Menú"], state=state)[-1]
    assert menu.state.step is Step.MENU
    assert menu.state.caller == ""
    helped = play(reference, ["info"], state=state)[-1]
    assert keys(helped) == ["help", "ask_other_place"]
    spanish = play(reference, ["ESPANOL"], state=state)[-1]
    assert spanish.state.language == "es"
    assert spanish.state.caller == "us_state:US-TX"


def test_more_after_an_outcome_gives_the_full_guidance_and_the_closing_line(reference):
    done = play(reference, ["1", "Texas", "Germany"])[-1].state
    more = play(reference, ["MÁS"], state=done)[-1]
    assert keys(more) == ["outcome_full", "after_outcome"]
    assert more.state == done
    assert more.prompts[0].params["decision"].outcome is Outcome.US_CALLER_TREATY_COUNTRY


def test_after_the_details_the_closing_line_no_longer_offers_more(reference):
    done = play(reference, ["1", "Texas", "Germany"])[-1]
    assert "details_shown" not in done.prompts[-1].params
    more = play(reference, ["MORE"], state=done.state)[-1]
    assert more.prompts[-1].params == {"details_shown": True}


def test_more_while_the_us_ties_question_waits_repeats_that_question(reference):
    asking = play(reference, ["1", "Texas", "Mexico"])[-1].state
    more = play(reference, ["more"], state=asking)[-1]
    assert keys(more) == ["outcome_full", "follow_up_us_ties"]
    assert more.state == asking


def test_more_after_an_abduction_answer_gives_its_full_text(reference):
    done = play(reference, ["2"])[-1].state
    more = play(reference, ["MORE"], state=done)[-1]
    assert keys(more) == ["outcome_full", "after_outcome"]
    assert more.effects == ()


def test_more_before_any_outcome_answers_like_help(reference):
    state = play(reference, ["1"])[-1].state
    assert keys(play(reference, ["MORE"], state=state)[-1]) == ["help", "ask_caller_place"]
    assert keys(play(reference, ["más"])[-1]) == ["help", "menu"]


def test_follow_up_accepts_yes_no_in_both_languages(reference):
    state = play(reference, ["1", "Texas", "Mexico"])[-1].state
    assert state.step is Step.FOLLOW_UP
    for answer, expected in (("SÍ", True), ("y", True), ("1", True), ("No", False), ("2", False)):
        turn = play(reference, [answer], state=state)[-1]
        assert turn.state.us_ties is expected
    maybe = play(reference, ["maybe"], state=state)[-1]
    assert keys(maybe)[0] == "unsure_as_no"
    assert maybe.state.us_ties is False
    neither = play(reference, ["purple"], state=state)[-1]
    assert keys(neither)[0] == "not_understood_yes_no"


def test_state_survives_json_round_trip(reference):
    state = play(reference, ["1", "Georgia"])[-1].state
    assert FlowState.from_json(state.to_json()) == state


def test_state_stored_before_its_fields_were_typed_still_reads(reference):
    """Conversations stored with "" for "none yet" (before the enums) keep working."""
    stored = {"step": "caller_place", "question": "caller", "follow_up": "", "resume": ""}
    state = FlowState.from_json({**stored, "outcome": ""})
    assert state.question is Question.CALLER
    assert state.follow_up is state.resume is state.outcome is None
    assert play(reference, ["Texas"], state=state)[-1].state.caller == "us_state:US-TX"


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("STOP", Keyword.STOP),
        (" Stop. ", Keyword.STOP),
        ("ALTO", Keyword.STOP),
        ("unstop", Keyword.START),
        ("Menú", Keyword.MENU),
        ("inicio", Keyword.MENU),
        ("Agente", Keyword.AGENT),
        ("HUMAN", Keyword.AGENT),
        ("Ayuda", Keyword.HELP),
        ("MORE", Keyword.MORE),
        ("Más", Keyword.MORE),
        ("mas", Keyword.MORE),
        ("Inglés", Keyword.ENGLISH),
        ("please stop", None),
        ("stop it now", None),
        ("", None),
    ],
)
def test_keywords_are_whole_messages(text, keyword):
    assert keyword_of(text) is keyword


@pytest.mark.parametrize(
    "text",
    [
        "¡Hola!",
        "hola",
        "Buenos días",
        "buenas",
        "Buenas tardes.",
        "Información",
        "ayuda",
        "Español",
    ],
)
def test_a_first_text_greeting_in_spanish_opens_in_spanish(reference, text):
    """The words once listed as Spanish greetings read as Spanish without the list."""
    turn = open_text(
        Inbound(text=text), language="en", returning=False, reference=reference, today=TODAY
    )
    assert turn.state.language == "es"


def test_a_first_text_greeting_in_english_stays_in_english(reference):
    turn = open_text(
        Inbound(text="hello"), language="en", returning=False, reference=reference, today=TODAY
    )
    assert turn.state.language == "en"


# --- a place staff deleted or split after the outcome ----------------------------------------

#: An answer naming a country the reference data no longer has (staff deleted or split it).
GONE = "foreign:ZZ"


def _done_with_a_deleted_place(reference):
    done = play(reference, ["1", "Texas", "Germany"])[-1].state
    return dataclasses.replace(done, other_parent=GONE)


def test_the_decision_of_a_deleted_place_is_none(reference):
    state = _done_with_a_deleted_place(reference)
    assert current_decision(state, reference=reference, today=TODAY) is None


def test_more_after_a_place_was_deleted_starts_again_and_says_why(reference):
    state = _done_with_a_deleted_place(reference)
    more = play(reference, ["MORE"], state=state)[-1]
    assert keys(more) == ["places_changed", "menu"]
    assert more.state == FlowState(step=Step.MENU, language=state.language)


def test_a_call_asking_for_the_outcome_of_a_deleted_place_starts_again(reference):
    done = play(reference, [("digits", "1"), ("digits", "1"), "Ohio", "Ohio"], voice=True)[-1]
    state = dataclasses.replace(done.state, other_parent=GONE)
    for digit in ("1", "2"):
        turn = play(reference, [("digits", digit)], voice=True, state=state)[-1]
        assert keys(turn) == ["places_changed", "menu"]
        assert turn.effects == ()


def test_confirming_a_read_back_of_a_deleted_place_starts_again(reference):
    state = FlowState(
        step=Step.READ_BACK, caller="us_state:US-TX", other_parent=GONE, read_back=True
    )
    turn = play(reference, ["yes"], state=state)[-1]
    assert keys(turn) == ["places_changed", "menu"]
    assert turn.state.step is Step.MENU
