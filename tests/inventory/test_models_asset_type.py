"""Asset types: built-in names show in the reader's language."""

import pytest

from wardkeeper.inventory import builtin_types
from wardkeeper.inventory.models import AssetType, catalog

pytestmark = pytest.mark.django_db


def test_built_in_names_go_through_the_catalog_and_user_names_do_not(monkeypatch):
    monkeypatch.setattr(catalog, "gettext", lambda text: f"[{text}]")
    built_in = AssetType.objects.get(code="ct")
    own = AssetType.objects.create(code="pump", name="CT", category="medical")
    assert (built_in.display_name, str(built_in)) == ("[CT scanner]", "[CT scanner]")
    assert own.display_name == "CT"


def test_every_built_in_type_is_installed_with_its_english_name():
    names = dict(AssetType.objects.filter(is_builtin=True).values_list("code", "name"))
    assert names == {code: name for code, name, *_ in builtin_types.BUILTIN_TYPES}
