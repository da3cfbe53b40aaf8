"""Loads the golden conversations in tests/golden/ for every channel's runner."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"


def golden_conversations() -> list:
    """One pytest param per conversation, named after its file and title."""
    params = []
    for path in sorted(GOLDEN_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            for conversation in tomllib.load(handle)["conversation"]:
                params.append(pytest.param(conversation, id=f"{path.stem}: {conversation['name']}"))
    return params
