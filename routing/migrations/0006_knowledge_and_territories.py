"""Three states of knowledge (researched, source date, verification on every reference table),
territories that follow their sovereign, the objection and own entry-into-force dates, the
agencies' numbers from abroad, and federal contacts as data.

SQLite rebuilds a table to add a column, which drops its triggers; the last step installs the
reference-version triggers (migration 0005) again on every reference table, the new
``routing_federalcontact`` included, so the snapshot keeps following every write.
"""

import importlib

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

_version = importlib.import_module("routing.migrations.0005_reference_version")

TABLES = (*_version.TABLES, "routing_federalcontact")


def _drop_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {t}_touch_reference ON {t}" for t in TABLES]
    return [
        f"DROP TRIGGER IF EXISTS {table}_touch_reference_{event.lower()}"
        for table in TABLES
        for event in _version.SQLITE_EVENTS
    ]


def _create_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [_version.POSTGRES_TRIGGER.format(table=table) for table in TABLES]
    return [
        _version.SQLITE_TRIGGER.format(table=table, event=event, name=event.lower())
        for table in TABLES
        for event in _version.SQLITE_EVENTS
    ]


def reinstall_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in _drop_statements(vendor) + _create_statements(vendor):
        schema_editor.execute(statement)


def restore_previous_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in _drop_statements(vendor):
        schema_editor.execute(statement)
    for statement in _version._statements(vendor):
        if "CREATE OR REPLACE FUNCTION" not in statement:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("routing", "0005_reference_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveField(
            model_name="historicaljurisdiction",
            name="needs_verification",
        ),
        migrations.RemoveField(
            model_name="historicalusstate",
            name="needs_verification",
        ),
        migrations.RemoveField(
            model_name="jurisdiction",
            name="needs_verification",
        ),
        migrations.RemoveField(
            model_name="usstate",
            name="needs_verification",
        ),
        migrations.AddField(
            model_name="historicaljurisdiction",
            name="hague_in_force_for_country",
            field=models.DateField(
                blank=True,
                null=True,
                verbose_name="Hague Convention in force for this country since",
            ),
        ),
        migrations.AddField(
            model_name="historicaljurisdiction",
            name="hague_us_objection",
            field=models.DateField(
                blank=True,
                help_text="While the objection stands the Convention does not apply with the U.S. A party with neither this date nor a date in force with the U.S. is shown as 'not established'.",
                null=True,
                verbose_name="U.S. objected to its accession on",
            ),
        ),
        migrations.AddField(
            model_name="historicaljurisdiction",
            name="name_es_article",
            field=models.CharField(
                blank=True,
                choices=[("el", "el"), ("la", "la"), ("los", "los"), ("las", "las")],
                help_text="For names Spanish says with an article: 'la' gives 'con la República Dominicana'.",
                max_length=3,
                verbose_name="article of the Spanish name",
            ),
        ),
        migrations.AddField(
            model_name="historicaljurisdiction",
            name="part_of",
            field=models.CharField(
                blank=True,
                help_text="For a territory where its sovereign's treaties apply (Martinique: FR, Gibraltar: GB), the sovereign's code: the sovereign's row then decides the status.",
                max_length=6,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[A-Z]{2}(-[A-Z0-9]{1,3})?$",
                        "Use an ISO 3166-1 alpha-2 code (DE) or an ISO 3166-2 code for a part of a country (CA-QC).",
                    )
                ],
                verbose_name="territory of",
            ),
        ),
        migrations.AddField(
            model_name="historicaljurisdiction",
            name="researched",
            field=models.BooleanField(
                default=False,
                help_text="Someone took these facts from the source named below. Leave unticked for rows nobody has researched: callers are then told the answer is not confirmed.",
                verbose_name="looked up in a source",
            ),
        ),
        migrations.AddField(
            model_name="historicaljurisdiction",
            name="source_date",
            field=models.DateField(
                blank=True,
                help_text="The day the source was read (or its own date, when later).",
                null=True,
                verbose_name="source as of",
            ),
        ),
        migrations.AddField(
            model_name="historicalstatearrangement",
            name="researched",
            field=models.BooleanField(
                default=False,
                help_text="Someone took these facts from the source named below. Leave unticked for rows nobody has researched: callers are then told the answer is not confirmed.",
                verbose_name="looked up in a source",
            ),
        ),
        migrations.AddField(
            model_name="historicalstatearrangement",
            name="source_date",
            field=models.DateField(
                blank=True,
                help_text="The day the source was read (or its own date, when later).",
                null=True,
                verbose_name="source as of",
            ),
        ),
        migrations.AddField(
            model_name="historicalstatearrangement",
            name="updated_at",
            field=models.DateTimeField(
                blank=True, default=django.utils.timezone.now, editable=False
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalstatearrangement",
            name="verified_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalstatearrangement",
            name="verified_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalusstate",
            name="agency_phone_abroad",
            field=models.CharField(
                blank=True,
                help_text="A number the agency publishes for callers outside the U.S. (+1-…).",
                max_length=40,
                verbose_name="agency phone from abroad",
            ),
        ),
        migrations.AddField(
            model_name="historicalusstate",
            name="researched",
            field=models.BooleanField(
                default=False,
                help_text="Someone took these facts from the source named below. Leave unticked for rows nobody has researched: callers are then told the answer is not confirmed.",
                verbose_name="looked up in a source",
            ),
        ),
        migrations.AddField(
            model_name="historicalusstate",
            name="source_date",
            field=models.DateField(
                blank=True,
                help_text="The day the source was read (or its own date, when later).",
                null=True,
                verbose_name="source as of",
            ),
        ),
        migrations.AddField(
            model_name="jurisdiction",
            name="hague_in_force_for_country",
            field=models.DateField(
                blank=True,
                null=True,
                verbose_name="Hague Convention in force for this country since",
            ),
        ),
        migrations.AddField(
            model_name="jurisdiction",
            name="hague_us_objection",
            field=models.DateField(
                blank=True,
                help_text="While the objection stands the Convention does not apply with the U.S. A party with neither this date nor a date in force with the U.S. is shown as 'not established'.",
                null=True,
                verbose_name="U.S. objected to its accession on",
            ),
        ),
        migrations.AddField(
            model_name="jurisdiction",
            name="name_es_article",
            field=models.CharField(
                blank=True,
                choices=[("el", "el"), ("la", "la"), ("los", "los"), ("las", "las")],
                help_text="For names Spanish says with an article: 'la' gives 'con la República Dominicana'.",
                max_length=3,
                verbose_name="article of the Spanish name",
            ),
        ),
        migrations.AddField(
            model_name="jurisdiction",
            name="part_of",
            field=models.CharField(
                blank=True,
                help_text="For a territory where its sovereign's treaties apply (Martinique: FR, Gibraltar: GB), the sovereign's code: the sovereign's row then decides the status.",
                max_length=6,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[A-Z]{2}(-[A-Z0-9]{1,3})?$",
                        "Use an ISO 3166-1 alpha-2 code (DE) or an ISO 3166-2 code for a part of a country (CA-QC).",
                    )
                ],
                verbose_name="territory of",
            ),
        ),
        migrations.AddField(
            model_name="jurisdiction",
            name="researched",
            field=models.BooleanField(
                default=False,
                help_text="Someone took these facts from the source named below. Leave unticked for rows nobody has researched: callers are then told the answer is not confirmed.",
                verbose_name="looked up in a source",
            ),
        ),
        migrations.AddField(
            model_name="jurisdiction",
            name="source_date",
            field=models.DateField(
                blank=True,
                help_text="The day the source was read (or its own date, when later).",
                null=True,
                verbose_name="source as of",
            ),
        ),
        migrations.AddField(
            model_name="statearrangement",
            name="researched",
            field=models.BooleanField(
                default=False,
                help_text="Someone took these facts from the source named below. Leave unticked for rows nobody has researched: callers are then told the answer is not confirmed.",
                verbose_name="looked up in a source",
            ),
        ),
        migrations.AddField(
            model_name="statearrangement",
            name="source_date",
            field=models.DateField(
                blank=True,
                help_text="The day the source was read (or its own date, when later).",
                null=True,
                verbose_name="source as of",
            ),
        ),
        migrations.AddField(
            model_name="statearrangement",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name="statearrangement",
            name="verified_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="statearrangement",
            name="verified_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="usstate",
            name="agency_phone_abroad",
            field=models.CharField(
                blank=True,
                help_text="A number the agency publishes for callers outside the U.S. (+1-…).",
                max_length=40,
                verbose_name="agency phone from abroad",
            ),
        ),
        migrations.AddField(
            model_name="usstate",
            name="researched",
            field=models.BooleanField(
                default=False,
                help_text="Someone took these facts from the source named below. Leave unticked for rows nobody has researched: callers are then told the answer is not confirmed.",
                verbose_name="looked up in a source",
            ),
        ),
        migrations.AddField(
            model_name="usstate",
            name="source_date",
            field=models.DateField(
                blank=True,
                help_text="The day the source was read (or its own date, when later).",
                null=True,
                verbose_name="source as of",
            ),
        ),
        migrations.CreateModel(
            name="FederalContact",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "researched",
                    models.BooleanField(
                        default=False,
                        help_text="Someone took these facts from the source named below. Leave unticked for rows nobody has researched: callers are then told the answer is not confirmed.",
                        verbose_name="looked up in a source",
                    ),
                ),
                (
                    "source_date",
                    models.DateField(
                        blank=True,
                        help_text="The day the source was read (or its own date, when later).",
                        null=True,
                        verbose_name="source as of",
                    ),
                ),
                ("verified_at", models.DateTimeField(blank=True, editable=False, null=True)),
                ("source", models.TextField(blank=True)),
                ("notes", models.TextField(blank=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "kind",
                    models.SlugField(
                        help_text="Stable name the engine and API clients use.",
                        max_length=60,
                        unique=True,
                    ),
                ),
                ("name", models.CharField(max_length=200)),
                ("phone", models.CharField(blank=True, max_length=40)),
                (
                    "phone_abroad",
                    models.CharField(blank=True, max_length=40, verbose_name="phone from abroad"),
                ),
                ("url", models.URLField(blank=True, max_length=300)),
                ("email", models.EmailField(blank=True, max_length=254)),
                (
                    "verified_by",
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
                "verbose_name": "federal contact",
                "ordering": ["kind"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalFederalContact",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "researched",
                    models.BooleanField(
                        default=False,
                        help_text="Someone took these facts from the source named below. Leave unticked for rows nobody has researched: callers are then told the answer is not confirmed.",
                        verbose_name="looked up in a source",
                    ),
                ),
                (
                    "source_date",
                    models.DateField(
                        blank=True,
                        help_text="The day the source was read (or its own date, when later).",
                        null=True,
                        verbose_name="source as of",
                    ),
                ),
                ("verified_at", models.DateTimeField(blank=True, editable=False, null=True)),
                ("source", models.TextField(blank=True)),
                ("notes", models.TextField(blank=True)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                (
                    "kind",
                    models.SlugField(
                        help_text="Stable name the engine and API clients use.", max_length=60
                    ),
                ),
                ("name", models.CharField(max_length=200)),
                ("phone", models.CharField(blank=True, max_length=40)),
                (
                    "phone_abroad",
                    models.CharField(blank=True, max_length=40, verbose_name="phone from abroad"),
                ),
                ("url", models.URLField(blank=True, max_length=300)),
                ("email", models.EmailField(blank=True, max_length=254)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "verified_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical federal contact",
                "verbose_name_plural": "historical federal contacts",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(reinstall_triggers, restore_previous_triggers),
    ]
