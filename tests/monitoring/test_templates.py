"""Templates give assets of a type their checks, once."""

import pytest

from tests.factories.inventory import AssetFactory, asset_type
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.monitoring.choices import CheckKind
from wardkeeper.monitoring.models import Check, CheckTemplate
from wardkeeper.monitoring.services import templates

pytestmark = pytest.mark.django_db


def test_assets_of_the_type_get_the_missing_checks_once():
    kind = asset_type()
    CheckTemplate.objects.create(name="Ping", asset_type=kind, kind=CheckKind.ICMP)
    CheckTemplate.objects.create(
        name="Port",
        asset_type=kind,
        kind=CheckKind.TCP,
        params={"port": 22},
        secrets='{"x": 1}',
    )
    with_ip = AssetFactory(ip_address="10.0.0.5", status=AssetStatus.IN_USE)
    by_name = AssetFactory(hostname="pacs01.local", status=AssetStatus.IN_USE)
    AssetFactory(status=AssetStatus.IN_USE)  # no address yet: no checks
    AssetFactory(ip_address="10.0.0.6", status=AssetStatus.IN_STOCK)
    assert templates.apply_all() == 4
    assert templates.apply_all() == 0
    assert set(Check.objects.filter(asset=with_ip).values_list("host", flat=True)) == {
        "10.0.0.5"
    }
    port = Check.objects.get(asset=by_name, kind=CheckKind.TCP)
    assert port.host == "pacs01.local"
    assert port.params == {"port": 22}
    assert port.secret_values() == {"x": 1}
