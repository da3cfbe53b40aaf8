"""Prints what a newcomer needs after ``make run``: where things are and how to log in."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.http.request import validate_host

EVERY_ADDRESS = ("0.0.0.0", "::")
LOCAL_HOSTS = "localhost,127.0.0.1"

DEV_ADMIN_USERNAME = "admin"
DEV_ADMIN_PASSWORD = "hotline-dev"


class Command(BaseCommand):
    help = "Print the local URLs and the login; on a DEBUG set-up, create a first admin account."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host: str, port: str, **options):
        base = f"http://{'127.0.0.1' if host in EVERY_ADDRESS else host}:{port}"
        login = self._login_line()
        self.stdout.write(
            "\n".join(
                [
                    "",
                    "Child support hotline, embedded set-up (SQLite, jobs in-process).",
                    f"  Start page:       {base}/",
                    f"  Staff admin:      {base}/admin/",
                    f"  Staff API docs:   {base}/api/docs/  (schema: {base}/api/schema/)",
                    f"  Guidance API:     POST {base}/api/v1/guidance/",
                    "  Text the hotline: make chat  (or: .venv/bin/python manage.py chat)",
                    f"  Log in:           {login}",
                    "  API token:        .venv/bin/python manage.py drf_create_token <username>",
                    *self._reach_lines(host),
                    "",
                ]
            )
        )

    def _reach_lines(self, host: str) -> list[str]:
        """How to be reached at ``host``: Django answers a host it does not allow with a 400."""
        if host in EVERY_ADDRESS:
            return [
                "  Other machines:   add ALLOWED_HOSTS=<this machine's name or address>,"
                f"{LOCAL_HOSTS} to .env.local",
            ]
        if validate_host(host, settings.ALLOWED_HOSTS):
            return []
        return [f"  Before opening it: add ALLOWED_HOSTS={host},{LOCAL_HOSTS} to .env.local"]

    def _login_line(self) -> str:
        users = get_user_model().objects
        if not settings.DEBUG:
            return "create an account with: .venv/bin/python manage.py createsuperuser"
        if not users.filter(is_superuser=True).exists():
            users.create_superuser(DEV_ADMIN_USERNAME, password=DEV_ADMIN_PASSWORD)
            return f"{DEV_ADMIN_USERNAME} / {DEV_ADMIN_PASSWORD} (created now; local use only)"
        if users.filter(username=DEV_ADMIN_USERNAME, is_superuser=True).exists():
            return f"{DEV_ADMIN_USERNAME} / {DEV_ADMIN_PASSWORD} (unless you changed it)"
        return "your superuser account (manage.py createsuperuser adds another)"
