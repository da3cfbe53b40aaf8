"""The Spanish catalogue is complete, consistent with its English, and up to date."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO_PATH = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)s")
SOURCE_DIRS = ("hotline", "routing", "cases", "staff", "templates")


def _catalogue(path: Path) -> dict[str, str]:
    entries = polib.mofile(str(path)) if path.suffix == ".mo" else polib.pofile(str(path))
    return {entry.msgid: entry.msgstr for entry in entries if not entry.obsolete}


def test_every_message_has_its_spanish():
    po = polib.pofile(str(PO_PATH))
    missing = [entry.msgid for entry in po if not entry.obsolete and not entry.msgstr.strip()]
    fuzzy = [entry.msgid for entry in po if "fuzzy" in entry.flags]
    assert missing == []
    assert fuzzy == []


def test_spanish_keeps_every_placeholder():
    po = polib.pofile(str(PO_PATH))
    mismatched = [
        entry.msgid
        for entry in po
        if sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr))
    ]
    assert mismatched == []


def test_compiled_catalogue_matches_the_po_file():
    assert _catalogue(MO_PATH) == _catalogue(PO_PATH)


@pytest.mark.skipif(
    shutil.which("xgettext") is None and os.environ.get("CI") != "true",
    reason="GNU gettext (xgettext) is not installed; CI installs it",
)
def test_catalogue_is_not_stale(tmp_path):
    """Extracting the messages afresh gives exactly the msgids the catalogue has."""
    for name in SOURCE_DIRS:
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "-e", "txt,html,py"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)},
    )
    fresh = set(_catalogue(tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    assert fresh == set(_catalogue(PO_PATH)), "run `make messages` and translate what changed"
