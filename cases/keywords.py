"""Texted keywords (contract §4): a whole message, any case, with or without accents."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum


class Keyword(StrEnum):
    MENU = "menu"
    AGENT = "agent"
    HELP = "help"
    MORE = "more"
    STOP = "stop"
    START = "start"
    SPANISH = "spanish"
    ENGLISH = "english"


_WORDS: dict[str, Keyword] = {
    **dict.fromkeys(["menu", "restart", "inicio"], Keyword.MENU),
    **dict.fromkeys(["agent", "person", "human", "agente", "persona"], Keyword.AGENT),
    **dict.fromkeys(["help", "info", "ayuda"], Keyword.HELP),
    **dict.fromkeys(["more", "mas"], Keyword.MORE),
    **dict.fromkeys(
        [
            "stop",
            "stopall",
            "unsubscribe",
            "cancel",
            "end",
            "quit",
            "revoke",
            "optout",
            "alto",
            "parar",
        ],
        Keyword.STOP,
    ),
    **dict.fromkeys(["start", "unstop"], Keyword.START),
    **dict.fromkeys(["espanol", "spanish"], Keyword.SPANISH),
    **dict.fromkeys(["english", "ingles"], Keyword.ENGLISH),
}

_NOT_WORD = re.compile(r"[^a-z0-9 ]+")


def normalize(text: str) -> str:
    """Casefolded, accents and punctuation removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def keyword_of(text: str) -> Keyword | None:
    """The keyword a whole message is, or None (a keyword inside a sentence does not count)."""
    return _WORDS.get(normalize(text))
