"""Message bodies as stored and sent: control characters out, at most one text long, and
prompts packed into as few texts as fit."""

from __future__ import annotations

import re

from cases.flow import Prompt
from cases.prompts import prompt_render
from routing.messages import MAX_TEXT_LENGTH
from routing.reference import ReferenceData

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def body_clean(body: str) -> str:
    """Control characters out (NUL breaks PostgreSQL text), at most one Twilio body long."""
    return _CONTROL.sub("", body)[:MAX_TEXT_LENGTH]


def bodies_pack(
    prompts: tuple[Prompt, ...], *, language: str, reference: ReferenceData
) -> tuple[str, ...]:
    """The prompts as message bodies, packed so none is longer than Twilio allows."""
    parts = [prompt_render(p, language=language, voice=False, reference=reference) for p in prompts]
    bodies: list[str] = []
    for part in parts:
        if bodies and len(bodies[-1]) + 2 + len(part) <= MAX_TEXT_LENGTH:
            bodies[-1] = f"{bodies[-1]}\n\n{part}"
        else:
            bodies.append(part[:MAX_TEXT_LENGTH])
    return tuple(bodies)
