"""Every environment variable the hotline reads is explained in the README's table.

`.env.example` and docs/deploy.md send operators there, so a variable missing from it is a
setting nobody can find.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("hotline/settings.py", "gunicorn.conf.py")
READ = re.compile(r"""(?:env(?:\.\w+)?|environ\.get)\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def _variables_read() -> set[str]:
    return {name for source in SOURCES for name in READ.findall((ROOT / source).read_text())}


def _configuration_table() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]


def test_the_scan_finds_the_settings():
    assert {"DATABASE_URL", "SECRET_KEY", "WEB_CONCURRENCY"} <= _variables_read()


def test_every_variable_read_is_in_the_readme_table():
    table = _configuration_table()
    missing = sorted(name for name in _variables_read() if f"`{name}`" not in table)
    assert missing == []
