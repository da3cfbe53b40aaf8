"""``manage.py reference_import_hcch FILE``: compare a saved HCCH status table with the data.

Prints what differs and keeps it as a pending import; staff apply it (or discard it) in the
admin under "HCCH status table imports". Nothing in the reference data changes here.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from routing import services
from routing.hcch import HcchFileError


class Command(BaseCommand):
    help = "Compare a saved HCCH status table (HTML or CSV) with the data; staff apply it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The status table saved as HTML, or a CSV.")
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day the table was saved from hcch.net (YYYY-MM-DD; default: the file's "
            "modification day).",
        )

    def handle(self, *args, file: Path, as_of: datetime.date | None, **options) -> None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        if as_of is None:
            as_of = datetime.date.fromtimestamp(file.stat().st_mtime)
        try:
            pending = services.hcch_import_create(file_name=file.name, text=text, table_as_of=as_of)
        except HcchFileError as error:
            raise CommandError(str(error)) from error
        for change in pending.changes:
            old = change["old"] or "(empty)"
            self.stdout.write(
                f"{change['code']:6} {change['name']}: {change['field']} {old} -> {change['new']}"
            )
        if pending.unmatched:
            self.stdout.write(f"Not in the data: {', '.join(pending.unmatched)}")
        if pending.not_in_table:
            self.stdout.write(
                "Parties in the data the table does not list (unchanged): "
                + ", ".join(pending.not_in_table)
            )
        url = reverse("admin:routing_hcchimport_change", args=[pending.pk])
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(pending.changes)} change(s) waiting for staff: review and apply at {url}"
            )
        )
