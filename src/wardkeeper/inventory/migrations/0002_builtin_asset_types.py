from django.db import migrations

from wardkeeper.inventory.builtin_types import BUILTIN_TYPES


def create_types(apps, schema_editor):
    # Plain rows, not audited models: the historical model has no audit hooks,
    # and built-ins are part of the installed software, not a user's change.
    AssetType = apps.get_model("inventory", "AssetType")
    for code, name, category, years, stores_data in BUILTIN_TYPES:
        AssetType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "category": category,
                "depreciation_years": years,
                "stores_data": stores_data,
                "is_builtin": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial")]
    operations = [migrations.RunPython(create_types, migrations.RunPython.noop)]
