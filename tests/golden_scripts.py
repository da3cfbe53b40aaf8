"""Loads the golden conversations in tests/golden/ for every channel's runner."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"


CHANNELS = ("sms", "whatsapp", "voice")


def golden_conversations(channel: str) -> list:
    """One pytest param per conversation that runs on ``channel``, named by file and title."""
    params = []
    for path in sorted(GOLDEN_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            for conversation in tomllib.load(handle)["conversation"]:
                if channel in conversation.get("channels", CHANNELS):
                    param_id = f"{path.stem}: {conversation['name']}"
                    params.append(pytest.param(conversation, id=param_id))
    return params
