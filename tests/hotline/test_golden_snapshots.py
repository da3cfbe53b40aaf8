"""The snapshot files match the golden runs one to one."""

import pytest

from tests.golden_snapshots import SNAPSHOT_DIR, UPDATE_COMMAND, expected_snapshots


def test_each_golden_run_has_its_own_snapshot_file():
    paths = expected_snapshots()
    shared = sorted({path.name for path in paths if paths.count(path) > 1})
    assert not shared, f"two golden runs would write one snapshot (rename a script): {shared}"


def test_no_snapshot_outlives_its_golden_run(snapshot_update):
    stale = sorted(set(SNAPSHOT_DIR.rglob("*.txt")) - set(expected_snapshots()))
    if snapshot_update:
        for path in stale:
            path.unlink()
        return
    if stale:
        shown = "\n".join(str(path.relative_to(SNAPSHOT_DIR)) for path in stale)
        pytest.fail(
            f"snapshots of no golden run; remove them with {UPDATE_COMMAND}:\n{shown}",
            pytrace=False,
        )
