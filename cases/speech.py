"""Text as it should be heard: numbers read digit by digit with pauses, no web addresses.

The same guidance is texted and spoken; a caller can write a phone number down when it is
read "1, 8 0 0, 2 5 2, 8 0 1 4", and the web addresses come in the text summary instead.
"""

from __future__ import annotations

import re

_URL = re.compile(r"\s*(?:https?://|www\.)\S+")
_PHONE = re.compile(r"\+?\d[\d\-. ]{5,}\d")
_DANGLING = re.compile(r"\s*([,:;])\s*(?=[.\n]|$)")
_SPACES = re.compile(r"[ \t]{2,}")


def spoken(text: str) -> str:
    """``text`` rewritten for text-to-speech."""
    without_links = _URL.sub("", text)
    with_digits = _PHONE.sub(_read_number, without_links)
    tidy = _DANGLING.sub("", with_digits)
    return _SPACES.sub(" ", tidy).strip()


def _read_number(match: re.Match[str]) -> str:
    groups = re.split(r"[\-. ]+", match.group(0).lstrip("+"))
    return ", ".join(" ".join(group) for group in groups if group)
