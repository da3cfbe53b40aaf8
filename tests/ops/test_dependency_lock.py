"""The locks `make install` and the Dockerfile install agree with the top-level pins.

Offline: a pin edited or added in requirements*.txt without `make lock` fails here, before
an install quietly keeps the old version.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)


def _pins(path: Path) -> dict[str, str]:
    """Package name (normalised as pip does) to pinned version."""
    return {
        re.sub(r"[-_.]+", "-", name).lower(): version
        for name, version in PIN.findall(path.read_text())
    }


@pytest.mark.parametrize(
    ("top_level", "lock"),
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_lock_holds_every_top_level_pin(top_level, lock):
    wanted = _pins(ROOT / top_level)
    locked = _pins(ROOT / lock)
    assert wanted
    stale = {name: (v, locked.get(name)) for name, v in wanted.items() if locked.get(name) != v}
    assert stale == {}


def test_every_locked_package_is_hash_checked():
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / lock).read_text()
        assert len(re.findall(r"^\S+==\S+ \\\n    --hash=sha256:", text, re.MULTILINE)) == len(
            _pins(ROOT / lock)
        ), lock


def test_dev_lock_keeps_the_runtime_versions():
    runtime = _pins(ROOT / "requirements.lock")
    dev = _pins(ROOT / "requirements-dev.lock")
    differing = {name: (v, dev.get(name)) for name, v in runtime.items() if dev.get(name) != v}
    assert differing == {}
