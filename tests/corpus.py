"""The corpus of real-style messages (``routing/data/understanding_corpus.csv``): each row a
message as parents text it or a speech result gives it, with the reading a person would make."""

import csv
from functools import cache
from pathlib import Path

CORPUS_PATH = Path(__file__).resolve().parent / "routing" / "data" / "understanding_corpus.csv"


@cache
def corpus_rows() -> tuple[dict[str, str], ...]:
    """The rows: text, caller, other, place (codes, ``|`` between choices), intents, language."""
    with CORPUS_PATH.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))
