"""The production shape as docker-compose.yml, the Dockerfile and .env.example describe it.

No Docker engine runs here: the files are parsed and checked against what the code needs.
"""

import fnmatch
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ("web", "worker", "beat")
DOCKERFILE = (ROOT / "Dockerfile").read_text()
ENV_EXAMPLE = (ROOT / ".env.example").read_text()


def _command(service: str) -> str:
    command = SERVICES[service]["command"]
    return command if isinstance(command, str) else " ".join(command)


def test_the_six_services():
    assert set(SERVICES) == {"postgres", "redis", "web", "proxy", "worker", "beat"}
    assert SERVICES["postgres"]["image"] == "postgres:16"
    assert SERVICES["redis"]["image"] == "redis:7"
    for name in APP_SERVICES:
        assert SERVICES[name]["build"] == "."
        assert SERVICES[name]["env_file"] == ".env"


def test_web_migrates_then_serves_with_gunicorn():
    command = _command("web")
    migrate = command.index("python manage.py migrate --noinput --verbosity 0")
    gunicorn = command.index("exec gunicorn hotline.wsgi:application")
    assert migrate < gunicorn
    assert "&&" in command[migrate:gunicorn], "gunicorn must not start when migrate fails"
    assert "--logger-class hotline.logging.GunicornLogger" in command
    assert "--access-logfile" not in command


def test_worker_and_beat_commands():
    assert _command("worker").startswith("celery -A hotline --quiet worker ")
    assert _command("beat").startswith("celery -A hotline --quiet beat ")


def test_health_checks():
    assert "pg_isready" in str(SERVICES["postgres"]["healthcheck"]["test"])
    assert SERVICES["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    assert "http://127.0.0.1:8000/health/" in str(SERVICES["web"]["healthcheck"]["test"])
    assert "inspect ping" in str(SERVICES["worker"]["healthcheck"]["test"])


def test_app_services_start_after_healthy_stores():
    for name in APP_SERVICES:
        assert SERVICES[name]["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }, name


def test_state_lives_in_named_volumes_not_in_app_containers():
    assert SERVICES["postgres"]["volumes"] == ["postgres-data:/var/lib/postgresql/data"]
    assert SERVICES["redis"]["volumes"] == ["redis-data:/data"]
    assert set(COMPOSE["volumes"]) == {"postgres-data", "redis-data"}
    for name in APP_SERVICES:
        assert "volumes" not in SERVICES[name], name
        environment = SERVICES[name]["environment"]
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["DATABASE_URL"].endswith("@postgres:5432/hotline")


def test_web_replicas_are_reached_only_through_the_proxy():
    assert "ports" not in SERVICES["web"]
    assert SERVICES["web"]["expose"] == ["8000"]
    assert "container_name" not in SERVICES["web"]
    assert SERVICES["proxy"]["ports"] == ["127.0.0.1:8080:8080"]


def test_compose_needs_only_variables_the_example_sets():
    text = (ROOT / "docker-compose.yml").read_text()
    interpolated = set(re.findall(r"(?<!\$)\$\{(\w+)", text))
    assert interpolated == {"POSTGRES_PASSWORD"}
    assert re.search(r"^POSTGRES_PASSWORD=\S+", ENV_EXAMPLE, re.MULTILINE)


def _readme_configuration_names() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names = set()
    for line in table.splitlines():
        if line.startswith("| `"):
            names |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1]))
    return names


def _settings_names() -> set[str]:
    source = (ROOT / "hotline/settings.py").read_text()
    return set(re.findall(r"env\.\w+\(\s*\"([A-Z][A-Z0-9_]+)\"", source))


def test_example_environment_documents_every_variable():
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE, re.MULTILINE))
    readme = _readme_configuration_names()
    assert {"DATABASE_URL", "PUBLIC_BASE_URL", "STAFF_PHONE_NUMBER"} <= readme
    assert readme - documented == set()
    assert _settings_names() - documented == set()


def test_example_environment_is_production():
    values = dict(re.findall(r"^([A-Z][A-Z0-9_]+)=(.*)$", ENV_EXAMPLE, re.MULTILINE))
    assert values["DEBUG"] == "false"
    assert values["PUBLIC_BASE_URL"].startswith("https://")
    assert values["SECURE_SSL_REDIRECT"] == "true"
    assert values["LOG_FORMAT"] == "json"


def test_dockerfile():
    assert "\nFROM python:3.11-slim\n" in DOCKERFILE
    assert "pip install --require-hashes -r requirements.lock" in DOCKERFILE
    assert DOCKERFILE.index("collectstatic") < DOCKERFILE.index("\nUSER hotline\n")
    assert "useradd --create-home --uid 10001 hotline" in DOCKERFILE
    cmd = DOCKERFILE.split("\nCMD ", 1)[1]
    assert '"gunicorn", "hotline.wsgi:application"' in cmd
    assert '"--logger-class", "hotline.logging.GunicornLogger"' in cmd
    assert "PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus" in DOCKERFILE


def test_secrets_and_local_state_stay_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".env", ".git", ".venv", "node_modules", "db.sqlite3", "staticfiles"):
        assert entry in ignored, entry
    # The embedded database's WAL files hold recent pages, callers' numbers and texts among them.
    for entry in ("db.sqlite3-wal", "db.sqlite3-shm"):
        assert any(fnmatch.fnmatchcase(entry, pattern) for pattern in ignored), entry
