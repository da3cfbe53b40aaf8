"""A PostgreSQL cluster of the test's own (``initdb`` into a temporary directory, on a free
port), for tests that restart the database: the machine's cluster serves everyone else and is
never restarted by a test."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from tests.integration.conftest import _missing, free_port

BINARIES = Path("/usr/lib/postgresql")


def _bin_dir() -> Path:
    """Debian's newest server binaries, else whatever ``initdb`` is on the PATH."""
    versions = sorted(BINARIES.glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    if found is None:
        _missing("no PostgreSQL server binaries (initdb, pg_ctl)")
    return Path(found).parent


class ThrowawayPostgres:
    """One cluster, its data and socket in ``root``; ``url`` names a fresh database in it."""

    def __init__(self, root: Path) -> None:
        self.bin = _bin_dir()
        self.root = root
        self.data = root / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/hotline"

    def _run(self, *command: str) -> None:
        # initdb and postgres refuse to run as root; as root, they run as "postgres".
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(
            [*prefix, *command], check=True, capture_output=True, timeout=120, cwd=self.root
        )

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
        )
        self.pg_ctl("start")
        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True
        ) as admin:
            admin.execute("CREATE DATABASE hotline")

    def pg_ctl(self, action: str) -> None:
        """``start``, ``stop`` or ``restart`` (fast shutdown), waiting until it is done."""
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "log"),
            "-o",
            options,
            "-m",
            "fast",
            "-w",
            action,
        )


@contextmanager
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    """Started for the ``with`` block, then stopped and deleted. Its directory is directly in
    the system's temporary directory, where the ``postgres`` user can reach it."""
    root = Path(tempfile.mkdtemp(prefix="hotline-pg-"))
    cluster = ThrowawayPostgres(root)
    try:
        try:
            cluster.init()
        except subprocess.CalledProcessError as error:
            pytest.fail(f"cannot start a throw-away PostgreSQL: {error.stderr!r}")
        yield cluster
    finally:
        if (cluster.data / "postmaster.pid").exists():
            cluster.pg_ctl("stop")
        shutil.rmtree(root, ignore_errors=True)
