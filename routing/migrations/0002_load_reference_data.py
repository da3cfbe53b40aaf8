"""Loads the project's starting reference data (``routing/data/`` and pycountry).

After this migration staff own the rows; later edits are never overwritten by it.
"""

from django.db import migrations

from routing.seed import arrangement_rows, jurisdiction_rows, state_rows


def load(apps, schema_editor):
    Jurisdiction = apps.get_model("routing", "Jurisdiction")
    UsState = apps.get_model("routing", "UsState")
    StateArrangement = apps.get_model("routing", "StateArrangement")
    Jurisdiction.objects.bulk_create(Jurisdiction(**row) for row in jurisdiction_rows())
    UsState.objects.bulk_create(UsState(**row) for row in state_rows())
    states = {state.code: state for state in UsState.objects.all()}
    countries = {country.code: country for country in Jurisdiction.objects.all()}
    StateArrangement.objects.bulk_create(
        StateArrangement(
            state=states[row["state"]],
            country=countries[row["country"]],
            notes=row["notes"],
            source=row["source"],
        )
        for row in arrangement_rows()
    )


def unload(apps, schema_editor):
    for model in ("StateArrangement", "UsState", "Jurisdiction"):
        apps.get_model("routing", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("routing", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
