"""A token that every write to the reciprocity tables replaces, set by database triggers.

Triggers rather than Django signals: bulk updates, CSV imports, data migrations and an
operator's SQL skip signals, and a reader that kept data across any of those would answer
callers from stale facts. On SQLite, a later migration that rebuilds one of these tables drops
its triggers; ``tests/routing/test_selectors.py`` fails if that happens.
"""

import secrets

from django.db import migrations, models

TABLES = ("routing_jurisdiction", "routing_usstate", "routing_statearrangement")
SQLITE_EVENTS = ("INSERT", "UPDATE", "DELETE")

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION routing_reference_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO routing_referenceversion (id, token)
    VALUES (1, replace(gen_random_uuid()::text, '-', ''))
    ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
    RETURN NULL;
END
$$
"""

POSTGRES_TRIGGER = """
CREATE TRIGGER {table}_touch_reference
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION routing_reference_touch()
"""

SQLITE_TRIGGER = """
CREATE TRIGGER {table}_touch_reference_{name}
AFTER {event} ON {table}
BEGIN
    INSERT INTO routing_referenceversion (id, token) VALUES (1, lower(hex(randomblob(16))))
    ON CONFLICT (id) DO UPDATE SET token = excluded.token;
END
"""


def _statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [POSTGRES_FUNCTION] + [POSTGRES_TRIGGER.format(table=t) for t in TABLES]
    if vendor == "sqlite":
        return [
            SQLITE_TRIGGER.format(table=table, event=event, name=event.lower())
            for table in TABLES
            for event in SQLITE_EVENTS
        ]
    raise NotImplementedError(f"No reference-version triggers for {vendor}")


def _drop_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        drops = [f"DROP TRIGGER IF EXISTS {t}_touch_reference ON {t}" for t in TABLES]
        return [*drops, "DROP FUNCTION IF EXISTS routing_reference_touch()"]
    return [
        f"DROP TRIGGER IF EXISTS {table}_touch_reference_{event.lower()}"
        for table in TABLES
        for event in SQLITE_EVENTS
    ]


def install(apps, schema_editor):
    apps.get_model("routing", "ReferenceVersion").objects.create(pk=1, token=secrets.token_hex(16))
    for statement in _statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    for statement in _drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("routing", "0004_initial_history"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReferenceVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(install, uninstall),
    ]
