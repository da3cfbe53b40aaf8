"""Brings the reference data up to ``routing/data/`` as corrected in issue 14: the 2007
Convention's recent parties, territories of treaty states, agencies' public lines, a source
and an "as of" date in every row, and federal contacts as rows.

Rows staff verified or edited keep their facts (they only gain the new provenance columns);
each change is recorded in the history with the reason below.
"""

from django.db import migrations

from routing.seed import reference_data_refresh

REASON = "Reference data refreshed from routing/data (issue 14: sources and dates in every row)"


def refresh(apps, schema_editor):
    reference_data_refresh(apps=apps, reason=REASON)


class Migration(migrations.Migration):
    dependencies = [("routing", "0006_knowledge_and_territories")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
