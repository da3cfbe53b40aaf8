"""Full transcripts of the golden conversations, kept in tests/golden/snapshots/.

The fragment checks of a golden script say what must be there; the snapshot holds every
word the hotline said, so a change nobody meant (a refactor that rewords a reply, drops a
pause or opens a second handoff) fails with a diff. ``pytest --snapshot-update`` writes them.
"""

from __future__ import annotations

import datetime
import difflib
import itertools
import re
import unicodedata
import xml.etree.ElementTree as ET
import zoneinfo
from pathlib import Path

import pytest

from tests.flow_helpers import TODAY
from tests.golden_scripts import GOLDEN_DIR, golden_conversations
from tests.twilio_helpers import BASE_URL

SNAPSHOT_DIR = GOLDEN_DIR / "snapshots"
UPDATE_OPTION = "--snapshot-update"
TEXT_CHANNELS = ("sms", "whatsapp")
UPDATE_COMMAND = f"`make snapshots` (pytest tests/hotline/test_golden_*.py {UPDATE_OPTION})"

# Noon at the hotline on flow_helpers' day: decisions that depend on `today` (a treaty in
# force, a check-in's delay) read the same every day the suite runs.
GOLDEN_START = datetime.datetime.combine(
    TODAY, datetime.time(12), tzinfo=zoneinfo.ZoneInfo("America/New_York")
).astimezone(datetime.UTC)

VOICE_LOCALES = {"en": "en-US", "es": "es-US"}


def clock():
    """A stand-in for ``timezone.now``: GOLDEN_START, one second later at each reading, so
    times still move forward."""
    ticks = itertools.count()
    return lambda: GOLDEN_START + datetime.timedelta(seconds=next(ticks))


def snapshot_path(script: dict, channel: str, language: str) -> Path:
    name = unicodedata.normalize("NFKD", script["name"]).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return SNAPSHOT_DIR / script["source"] / f"{slug}-{channel}-{language}.txt"


def expected_snapshots() -> list[Path]:
    """One snapshot per run of the golden tests: texts on SMS and WhatsApp, calls on voice."""
    runs = [
        (*param.values, channel)
        for param in golden_conversations("sms")
        for channel in TEXT_CHANNELS
    ]
    runs += [(*param.values, "voice") for param in golden_conversations("voice")]
    return [snapshot_path(script, channel, language) for script, language, channel in runs]


class Transcript:
    """What was said in one golden run, step by step, and what the hotline recorded."""

    def __init__(self, script: dict, channel: str, language: str) -> None:
        self.language = language
        self.lines = [f"{script['source']}: {script['name']} ({channel}, {language})"]
        self._recorded: dict[str, str] = {}
        self._handoffs: set[int] = set()

    def caller(self, number: int, action: str, answer: str = "") -> None:
        self.lines += [
            "",
            f"{number}. caller {action}: {answer!r}" if answer else f"{number}. caller {action}",
        ]

    def hotline(self, label: str, text: str) -> None:
        self.lines.append(f"  {label}:")
        self.lines += [f"    | {line}".rstrip() for line in text.splitlines() or [""]]

    def note(self, text: str) -> None:
        self.lines.append(f"  {text}")

    def twiml(self, root: ET.Element) -> None:
        """A call's answer in reading order: what is said, the pauses, how it listens, how it
        ends."""
        for verb in root:
            if verb.tag in {"Say", "Pause"}:
                self._spoken(verb)
            elif verb.tag == "Gather":
                for child in verb:
                    self._spoken(child)
                self.note(f"listens: {attributes(verb)}")
            else:
                self.note(f"{verb.tag}: {attributes(verb)}".rstrip(" :"))
                for child in verb:
                    spoken = f"{(child.text or '').strip()} {attributes(child)}".strip()
                    self.note(f"  {child.tag}: {spoken}")

    def _spoken(self, verb: ET.Element) -> None:
        if verb.tag == "Pause":
            self.note(f"pause {verb.get('length')} s")
            return
        locale = verb.get("language")
        label = "says" if locale == VOICE_LOCALES[self.language] else f"says ({locale})"
        self.hotline(label, verb.text or "")

    def recorded(self, conversation, handoffs) -> None:
        """The conversation's step after each answer; its outcome, status and language when
        they change; and each handoff when it is opened."""
        current = {
            "step": conversation.step,
            "outcome": conversation.outcome or "(none)",
            "status": conversation.status,
            "language": conversation.language,
        }
        for field, value in current.items():
            if field == "step" or self._recorded.get(field) != value:
                self.note(f"{field}: {value}")
        self._recorded = current
        for handoff in handoffs:
            if handoff.pk not in self._handoffs:
                self._handoffs.add(handoff.pk)
                self.note(f"handoff opened: {handoff.reason}, {handoff.priority} priority")

    def queued(self, messages) -> None:
        """Texts the outbox will send later (a check-in, a call's summary)."""
        for message in messages:
            delay = "at once"
            if message.send_after is not None:
                minutes = round((message.send_after - message.created_at).total_seconds() / 60)
                delay = f"after {datetime.timedelta(minutes=minutes)}"
            self.lines.append("")
            self.hotline(f"later, by {message.channel} ({message.purpose}, {delay})", message.body)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def attributes(verb: ET.Element) -> str:
    """A verb's attributes, sorted; the speech hints by their number."""
    shown = []
    for name, value in sorted(verb.attrib.items()):
        if name == "hints":
            value = f"{len(value.split(', '))} phrases"
        shown.append(f"{name}={value.removeprefix(BASE_URL)}")
    return ", ".join(shown)


def assert_matches_snapshot(path: Path, live: str, *, update: bool) -> None:
    """Fail with a diff when ``live`` differs from the snapshot at ``path`` (or write it)."""
    shown = path.relative_to(GOLDEN_DIR.parent.parent)
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != live:
            path.write_text(live, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(
            f"no snapshot {shown}: write it with {UPDATE_COMMAND}, read it and commit it",
            pytrace=False,
        )
    recorded = path.read_text(encoding="utf-8")
    if recorded != live:
        diff = difflib.unified_diff(
            recorded.splitlines(keepends=True),
            live.splitlines(keepends=True),
            fromfile=f"{shown} (snapshot)",
            tofile="live transcript",
        )
        pytest.fail(
            f"the transcript differs from its snapshot:\n{''.join(diff)}\n"
            f"If the change is meant: {UPDATE_COMMAND}, then review and commit the snapshots.",
            pytrace=False,
        )
