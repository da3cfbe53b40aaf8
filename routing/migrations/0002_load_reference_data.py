"""Loads the project's starting reference data (``routing/data/`` and pycountry).

After this migration staff own the rows; later edits are never overwritten by it.
"""

from django.db import migrations

from routing.seed import reference_data_load


def load(apps, schema_editor):
    reference_data_load(
        jurisdiction_model=apps.get_model("routing", "Jurisdiction"),
        state_model=apps.get_model("routing", "UsState"),
        arrangement_model=apps.get_model("routing", "StateArrangement"),
    )


def unload(apps, schema_editor):
    for model in ("StateArrangement", "UsState", "Jurisdiction"):
        apps.get_model("routing", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("routing", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
