"""Loads the golden conversations in tests/golden/ for every channel's runner."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"


CHANNELS = ("sms", "whatsapp", "voice")


LANGUAGES = ("en", "es")


def golden_conversations(channel: str) -> list:
    """One pytest param ``(script, language)`` per conversation and language that runs on
    ``channel``, named by file, title and language; ``script["source"]`` is the file's stem."""
    params = []
    for path in sorted(GOLDEN_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            for conversation in tomllib.load(handle)["conversation"]:
                conversation["source"] = path.stem
                if channel not in conversation.get("channels", CHANNELS):
                    continue
                for language in conversation.get("languages", LANGUAGES):
                    param_id = f"{path.stem}: {conversation['name']}-{language}"
                    params.append(pytest.param(conversation, language, id=param_id))
    return params


def handoff_opened(step: dict, conversation, handoffs) -> bool:
    """The step's expected handoff is open on this conversation."""
    return any(
        handoff.conversation_id == conversation.pk
        and handoff.reason == step["handoff"]
        and handoff.status == "open"
        for handoff in handoffs
    )
