"""Records the loaded reference data as the first version of every row, so the change history
shows each staff edit against what the sources said."""

from django.db import migrations
from django.utils import timezone

REASON = "Loaded from the project's reference data (routing/data, sources in each row)"


def record(apps, schema_editor):
    now = timezone.now()
    for name in ("Jurisdiction", "UsState", "StateArrangement"):
        model = apps.get_model("routing", name)
        historical = apps.get_model("routing", f"Historical{name}")
        fields = [f.attname for f in model._meta.concrete_fields]
        historical.objects.bulk_create(
            historical(
                **{field: getattr(row, field) for field in fields},
                history_date=now,
                history_type="+",
                history_change_reason=REASON,
            )
            for row in model.objects.all()
            if not historical.objects.filter(id=row.pk).exists()
        )


def forget(apps, schema_editor):
    for name in ("Jurisdiction", "UsState", "StateArrangement"):
        apps.get_model("routing", f"Historical{name}").objects.filter(
            history_change_reason=REASON
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("routing", "0003_verification_stamp")]

    operations = [migrations.RunPython(record, forget)]
