"""The production shape as described by docker-compose.yml and the Dockerfile."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_services_and_their_commands():
    assert set(SERVICES) == {"postgres", "redis", "web", "worker", "beat"}
    assert "gunicorn hotline.wsgi:application" in SERVICES["web"]["command"]
    assert "migrate" in SERVICES["web"]["command"]
    assert SERVICES["worker"]["command"][:4] == ["celery", "-A", "hotline", "worker"]
    assert SERVICES["beat"]["command"][:4] == ["celery", "-A", "hotline", "beat"]


def test_health_checks_and_start_order():
    for name in ("postgres", "redis", "web", "worker"):
        assert SERVICES[name]["healthcheck"]["test"], name
    assert "/health/" in str(SERVICES["web"]["healthcheck"]["test"])
    for name in ("web", "worker", "beat"):
        assert SERVICES[name]["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }


def test_state_lives_in_volumes_not_in_app_containers():
    assert "postgres-data:/var/lib/postgresql/data" in SERVICES["postgres"]["volumes"]
    assert set(COMPOSE["volumes"]) == {"postgres-data", "redis-data"}
    for name in ("web", "worker", "beat"):
        assert "volumes" not in SERVICES[name], name
        assert SERVICES[name]["environment"]["REDIS_URL"] == "redis://redis:6379/0"


def test_example_environment_names_every_required_setting():
    example = (ROOT / ".env.example").read_text()
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "PUBLIC_BASE_URL", "TWILIO_AUTH_TOKEN", "DEBUG"):
        assert f"{name}=" in example


def test_dockerfile_runs_unprivileged_with_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "USER hotline" in dockerfile
    assert "collectstatic" in dockerfile
    assert "hotline.wsgi:application" in dockerfile
