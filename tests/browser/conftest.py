"""A real browser for the staff workspace: Playwright driving Debian's Chromium, headless.

Screenshots of every page a test visits are written to artifacts/screenshots/. Without
Chromium these tests are skipped on a laptop and fail under ``CI=true`` (.ci/run installs it).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from staff.roles import DATA_EDITORS, HOTLINE_STAFF

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "a-long-test-password-1"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make in
# between are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is not installed (apt-get install chromium)")
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{request.node.name}.png", full_page=True)
    context.close()


def shot(page, name: str) -> None:
    """A screenshot of the page as it is now, kept as a test artifact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def staff(django_user_model, username: str, *roles: str, superuser: bool = False):
    user = django_user_model.objects.create_user(
        username, password=PASSWORD, is_staff=True, is_superuser=superuser
    )
    user.groups.set(Group.objects.filter(name__in=roles))
    return user


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")


@pytest.fixture(autouse=True)
def workspace_data(transactional_db):
    """Roles and reference data, as the migrations create them (transactional tests start from
    an emptied database)."""
    from django.contrib.auth.models import Permission

    from routing.models import Jurisdiction, StateArrangement, UsState
    from routing.seed import reference_data_load
    from staff.roles import roles_create

    if not Group.objects.exists():
        roles_create(group_model=Group, permission_model=Permission)
    if not Jurisdiction.objects.exists():
        reference_data_load(
            jurisdiction_model=Jurisdiction,
            state_model=UsState,
            arrangement_model=StateArrangement,
        )


@pytest.fixture
def data_editor(django_user_model):
    return staff(django_user_model, "dana", DATA_EDITORS)


@pytest.fixture
def hotline_staff(django_user_model):
    return staff(django_user_model, "hana", HOTLINE_STAFF)


__all__ = ["DATA_EDITORS", "HOTLINE_STAFF", "log_in", "shot", "staff"]
