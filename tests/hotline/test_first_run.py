"""A newcomer's first minutes: `make run`'s local settings, the README's commands, `/`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, env_file: Path | None) -> subprocess.CompletedProcess:
    """manage.py as a newcomer runs it: no DEBUG or SECRET_KEY in the environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    env["HOTLINE_ENV_FILE"] = str(env_file or ROOT / "no-such-file")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_readme_commands_run_with_the_file_make_run_writes(tmp_path):
    local_env = tmp_path / "local.env"
    subprocess.run(["make", "-s", f"LOCAL_ENV={local_env}", str(local_env)], cwd=ROOT, check=True)
    settings = local_env.read_text()
    assert "DEBUG=true" in settings
    secret = next(line for line in settings.splitlines() if line.startswith("SECRET_KEY="))
    assert len(secret) > 60
    for command in (["chat", "--help"], ["drf_create_token", "--help"], ["check"]):
        done = _manage(*command, env_file=local_env)
        assert done.returncode == 0, done.stderr[-500:]
        assert "AXES: BEGIN" not in done.stdout + done.stderr


def test_without_local_settings_debug_stays_off_and_a_key_is_required():
    done = _manage("check", env_file=None)
    assert done.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false" in done.stderr


@pytest.mark.django_db
def test_the_root_address_is_a_small_landing_page(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    for link in ('href="/admin/"', 'href="/api/docs/"', 'href="/health/"'):
        assert link in page
    assert "://" not in page  # nothing loaded from elsewhere
