"""Pending HCCH status table imports (staff apply them in the admin), and the staff roles
completed with the permissions of the new reference tables."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

from staff.roles import roles_create


def complete_roles(apps, schema_editor):
    """Data editors keep federal contacts and apply HCCH imports; hotline staff read contacts."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_create(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("routing", "0007_refresh_reference_data"),
        ("hotline", "0001_staff_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HcchImport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("file_name", models.CharField(max_length=200)),
                (
                    "table_as_of",
                    models.DateField(help_text="The day the table was saved from hcch.net."),
                ),
                (
                    "changes",
                    models.JSONField(
                        default=list,
                        help_text="[{code, name, field, old, new}] for each field that differs.",
                    ),
                ),
                (
                    "unmatched",
                    models.JSONField(
                        default=list, help_text="States of the table not in the data."
                    ),
                ),
                (
                    "not_in_table",
                    models.JSONField(
                        default=list,
                        help_text="Parties in the data that the table does not list (not changed).",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "waiting for staff"),
                            ("applied", "applied"),
                            ("discarded", "discarded"),
                        ],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("decided_at", models.DateTimeField(blank=True, editable=False, null=True)),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "HCCH status table import",
                "ordering": ["-created_at"],
            },
        ),
        migrations.RunPython(complete_roles, migrations.RunPython.noop),
    ]
