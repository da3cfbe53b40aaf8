"""Any text, in any state of the conversation, gets a valid reply and never an exception."""

import datetime
from collections import deque

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import flow
from cases.flow import FlowState, Inbound, Step
from cases.prompts import prompt_render
from cases.texts import inbound_text_handle
from routing.messages import MAX_TEXT_LENGTH
from routing.places import Ambiguous, Recognized, Unrecognized, recognize_place
from routing.seed import reference_data_from_files
from tests.twilio_helpers import new_sid

TODAY = datetime.date(2026, 11, 24)
REFERENCE = reference_data_from_files()
SEEDS = (
    *("1", "2", "0", "Texas", "Georgia", "Canada", "Mexico", "USA", "military", "yes", "no"),
    *("I live in Texas and my ex is in Spain", "Chicago", "Portland", "not sure"),
)

#: Texts people send: any unicode, plus the hotline's own words mixed in.
texts = st.one_of(
    st.text(max_size=300),
    st.sampled_from((*SEEDS, "STOP", "AGENT", "MENU", "ESPAÑOL", "ayuda", "no sé")),
    st.builds(lambda a, b: f"{a} {b}", st.sampled_from(SEEDS), st.text(max_size=20)),
)


def _reachable_states(voice: bool) -> list[FlowState]:
    start = flow.start(voice=voice).state
    seen, queue = {start, FlowState(step=Step.CHECK_IN)}, deque([start])
    while queue and len(seen) < 300:
        state = queue.popleft()
        for answer in (*SEEDS, "qwzx", ""):
            inbound = Inbound(text=answer, confidence=0.9 if voice else None, no_input=not answer)
            turn = flow.advance(state, inbound, voice=voice, reference=REFERENCE, today=TODAY)
            if turn.state not in seen:
                seen.add(turn.state)
                queue.append(turn.state)
    return sorted(seen, key=repr)


TEXT_STATES = _reachable_states(voice=False)
CALL_STATES = _reachable_states(voice=True)


@given(texts)
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_recognizer_answers_any_text(text):
    result = recognize_place(text, reference=REFERENCE)
    assert isinstance(result, Recognized | Ambiguous | Unrecognized)


@given(state=st.sampled_from(TEXT_STATES), text=texts)
@settings(max_examples=400, deadline=None)
def test_text_flow_answers_anything_in_any_state(state, text):
    turn = flow.advance(state, Inbound(text=text), voice=False, reference=REFERENCE, today=TODAY)
    assert turn.prompts, "every answer gets a reply"
    for prompt in turn.prompts:
        rendered = prompt_render(
            prompt, language=turn.state.language, voice=False, reference=REFERENCE
        )
        assert 0 < len(rendered) <= MAX_TEXT_LENGTH
    assert FlowState.from_json(turn.state.to_json()) == turn.state


@given(
    state=st.sampled_from(CALL_STATES),
    digits=st.sampled_from(["", "0", "1", "2", "3", "9", "*", "#", "12"]),
    speech=texts,
    confidence=st.one_of(st.none(), st.floats(min_value=0, max_value=1)),
)
@settings(max_examples=300, deadline=None)
def test_call_flow_answers_anything_in_any_state(state, digits, speech, confidence):
    inbound = Inbound(
        text=speech, digits=digits, confidence=confidence, no_input=not (digits or speech)
    )
    turn = flow.advance(state, inbound, voice=True, reference=REFERENCE, today=TODAY)
    assert turn.prompts
    for prompt in turn.prompts:
        assert prompt_render(prompt, language=turn.state.language, voice=True, reference=REFERENCE)


@pytest.mark.django_db
@given(bodies=st.lists(texts, min_size=1, max_size=6))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_the_webhook_service_answers_any_sequence_of_texts(bodies):
    for body in bodies:
        reply = inbound_text_handle(address="+15125550123", body=body, message_sid=new_sid())
        assert all(
            0 < len(text) <= MAX_TEXT_LENGTH for text in (each.body for each in reply.replies)
        )
