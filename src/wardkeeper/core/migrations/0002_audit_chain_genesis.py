from django.db import migrations

GENESIS = "0" * 64


def create_head(apps, schema_editor):
    head = apps.get_model("core", "AuditChainHead")
    head.objects.get_or_create(pk=1, defaults={"hash": GENESIS, "entries": 0})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
