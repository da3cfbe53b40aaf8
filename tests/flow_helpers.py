"""Playing the pure conversation flow in tests, without Django."""

import datetime

from cases.flow import Inbound, Turn, advance, start

TODAY = datetime.date(2026, 11, 24)


def play(reference, answers, *, voice=False, state=None) -> list[Turn]:
    """Feed answers (str = text/speech, ("digits", d), (text, confidence), None = no input)
    from ``state`` (the first turn's by default) and return the turns."""
    state = state or start(voice=voice).state
    turns = []
    for answer in answers:
        if answer is None:
            inbound = Inbound(no_input=True)
        elif isinstance(answer, tuple) and answer[0] == "digits":
            inbound = Inbound(digits=answer[1])
        elif isinstance(answer, tuple):
            inbound = Inbound(text=answer[0], confidence=answer[1])
        else:
            inbound = Inbound(text=answer, confidence=0.9 if voice else None)
        turn = advance(state, inbound, voice=voice, reference=reference, today=TODAY)
        turns.append(turn)
        state = turn.state
    return turns


def keys(turn: Turn) -> list[str]:
    return [prompt.key for prompt in turn.prompts]
