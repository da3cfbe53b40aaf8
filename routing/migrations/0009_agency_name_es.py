"""U.S. state agencies get a Spanish name for Spanish answers (issue 16); existing rows get the
names (and the place-name articles) from routing/data.

SQLite rebuilds ``routing_usstate`` to add the column, which drops its reference-version
triggers: they are installed again afterwards (and after the column goes, when reversed).
"""

import importlib

from django.db import migrations, models

from routing.seed import spanish_names_fill

_triggers = importlib.import_module("routing.migrations.0006_knowledge_and_territories")

REASON = "Spanish agency names and place-name articles from routing/data (issue 16)"


def fill(apps, schema_editor):
    spanish_names_fill(apps=apps, reason=REASON)


def _agency_name_es():
    return models.CharField(
        blank=True,
        help_text="What Spanish answers call the agency; empty: they use the English name.",
        max_length=200,
        verbose_name="agency name in Spanish",
    )


class Migration(migrations.Migration):
    dependencies = [("routing", "0008_hcch_import")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, _triggers.reinstall_triggers),
        migrations.AddField(
            model_name="historicalusstate", name="agency_name_es", field=_agency_name_es()
        ),
        migrations.AddField(model_name="usstate", name="agency_name_es", field=_agency_name_es()),
        migrations.RunPython(_triggers.reinstall_triggers, migrations.RunPython.noop),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
