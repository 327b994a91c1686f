from django.db import migrations

from wardkeeper.inventory.builtin_types import ensure_builtin_types


def create_types(apps, schema_editor):
    # The historical model: plain rows, not audited; built-ins ship with the
    # software rather than being a user's change.
    ensure_builtin_types(apps.get_model("inventory", "AssetType"))


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial")]
    operations = [migrations.RunPython(create_types, migrations.RunPython.noop)]
