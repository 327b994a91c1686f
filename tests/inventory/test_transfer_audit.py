"""An import's audit trail: one entry per written row (and one per manufacturer
a model import creates), naming who, which record, what changed and from which
row, chained so that `audit verify` finds the trail intact."""

import pytest

from tests.factories.audit import run_audit
from tests.factories.transfer import import_rows
from wardkeeper.core.models import AuditEntry
from wardkeeper.core.models.audit import AuditChainHead
from wardkeeper.inventory.models import Asset

pytestmark = pytest.mark.django_db

PLACES = [
    ["code", "name", "kind", "parent_code", "criticality"],
    ["OR-3", "OR-3", "room", "N-3F", "critical"],
    ["N", "North Campus", "campus", "", ""],
    ["N-3F", "3F", "floor", "N-SB", ""],
    ["N-SB", "Surgery Building", "building", "N", "normal"],
]
MODELS = [
    ["manufacturer", "name", "type_code", "end_of_support"],
    ["Mindray", "BeneView T5", "patient-monitor", "2031-12-31"],
    ["Huawei", "S5735", "switch", ""],
]
VENDORS = [["name", "phone"], ["MedSupply", "555-0100"]]
ASSETS = [
    ["tag", "name", "model", "location_code", "vendor", "purchase_cost", "parent_tag"],
    ["SW-1-M", "uplink module", "Huawei S5735", "OR-3", "", "", "SW-1"],
    ["SW-1", "theatre switch", "Huawei S5735", "OR-3", "MedSupply", "300.00", ""],
    ["PM-1", "theatre monitor", "Mindray BeneView T5", "OR-3", "", "", ""],
]
# PM-1 moves into repair (a lifecycle move), SW-1 is renamed, SW-1-M moves to
# a switch this same file creates, PM-2 is new and SW-9 is left as it was.
CHANGES = [
    ["tag", "name", "model", "status", "parent_tag"],
    ["PM-1", "theatre monitor", "Mindray BeneView T5", "in_repair", ""],
    ["SW-1", "core switch", "Huawei S5735", "", ""],
    ["SW-1-M", "uplink module", "Huawei S5735", "", "SW-2"],
    ["SW-2", "spare switch", "Huawei S5735", "", ""],
]
ZONES = [
    ["name", "kind", "criticality", "description"],
    ["Theatres", "clinical", "critical", "operating theatres"],
    ["Guests", "guest", "", ""],
]
ZONE_CHANGES = [["name", "kind", "description"], ["Guests", "guest", "visitors"]]


def import_all(actor):
    """Every file in turn; each must go in whole."""
    for kind, rows in (
        ("locations", PLACES),
        ("models", MODELS),
        ("vendors", VENDORS),
        ("assets", ASSETS),
        ("assets", CHANGES),
        ("zones", ZONES),
        ("zones", ZONE_CHANGES),
    ):
        report = import_rows(kind, rows, actor=actor)
        assert report.errors == [], (kind, report.errors)


def trail():
    """Each entry as a user reads it: action, which record, the fields it
    changed, why, who and from where."""
    return [
        (
            e.action,
            e.content_type.model,
            e.object_repr,
            sorted(e.changes),
            e.message,
            e.actor_name,
            e.source,
            e.flagged,
        )
        for e in AuditEntry.objects.filter(source="import")
        .select_related("content_type")
        .order_by("id")
    ]


PLACE = ["code", "criticality", "kind", "name"]
ASSET = ["asset_type", "condition", "model", "name", "status", "tag"]
BUILDING = "North Campus / Surgery Building"
FLOOR = f"{BUILDING} / 3F"


def row(action, model, name, fields, file, number):
    message = f"Imported from {file}, row {number}."
    return (action, model, name, sorted(fields), message, "hana", "import", False)


def maker(name):
    message = "Created by a model import."
    return ("create", "manufacturer", name, ["name"], message, "hana", "import", False)


# The trail these imports wrote before the engine took the audit's bulk path
# (recorded from that version): the same rows, in the same order.
EXPECTED = [
    row("create", "location", f"{FLOOR} / OR-3", [*PLACE, "parent"], "locations.csv", 2),
    row("create", "location", "North Campus", PLACE, "locations.csv", 3),
    row("create", "location", FLOOR, [*PLACE, "parent"], "locations.csv", 4),
    row("create", "location", BUILDING, [*PLACE, "parent"], "locations.csv", 5),
    maker("Mindray"),
    maker("Huawei"),
    row("create", "assetmodel", "Mindray BeneView T5", ["asset_type", "end_of_support", "manufacturer", "name"], "models.csv", 2),
    row("create", "assetmodel", "Huawei S5735", ["asset_type", "manufacturer", "name"], "models.csv", 3),
    row("create", "vendor", "MedSupply", ["name", "phone"], "vendors.csv", 2),
    row("create", "asset", "SW-1-M uplink module", [*ASSET, "location", "parent"], "assets.csv", 2),
    row("create", "asset", "SW-1 theatre switch", [*ASSET, "location", "purchase_cost", "vendor"], "assets.csv", 3),
    row("create", "asset", "PM-1 theatre monitor", [*ASSET, "location"], "assets.csv", 4),
    row("lifecycle", "asset", "PM-1 theatre monitor", ["status"], "assets.csv", 2),
    row("update", "asset", "SW-1 core switch", ["name"], "assets.csv", 3),
    row("update", "asset", "SW-1-M uplink module", ["parent"], "assets.csv", 4),
    row("create", "asset", "SW-2 spare switch", ASSET, "assets.csv", 5),
    row("create", "zone", "Theatres", ["criticality", "description", "kind", "name"], "zones.csv", 2),
    row("create", "zone", "Guests", ["criticality", "kind", "name"], "zones.csv", 3),
    row("update", "zone", "Guests", ["description"], "zones.csv", 2),
]  # fmt: skip


def test_each_written_row_has_the_entry_it_had_before(hardware_engineer):
    import_all(hardware_engineer)
    assert trail() == EXPECTED


def test_entries_carry_each_changed_value_before_and_after(hardware_engineer):
    import_all(hardware_engineer)
    entries = {
        (e.object_repr, e.action): e
        for e in AuditEntry.objects.filter(source="import").order_by("id")
    }
    moved = entries["PM-1 theatre monitor", "lifecycle"]
    assert moved.changes == {"status": ["in_stock", "in_repair"]}
    assert entries["SW-1 core switch", "update"].changes == {
        "name": ["theatre switch", "core switch"]
    }
    # The new parent's id was not known when the file was read.
    old, new = (Asset.objects.get(tag=t).pk for t in ("SW-1", "SW-2"))
    reparented = entries["SW-1-M uplink module", "update"]
    assert reparented.changes == {"parent": [old, new]}
    assert reparented.actor == hardware_engineer
    assert entries["Guests", "update"].changes == {"description": ["", "visitors"]}


def test_the_chain_verifies_after_imports_and_the_head_names_the_newest_entry(
    hardware_engineer,
):
    import_all(hardware_engineer)
    head = AuditChainHead.objects.get(pk=1)
    newest = AuditEntry.objects.order_by("-id").first()
    assert (head.hash, head.last_id) == (newest.hash, newest.id)
    code, out, err = run_audit("verify")
    assert code == 0, err
    assert f"intact: {AuditEntry.objects.count()} entries" in out


def test_a_refused_import_leaves_no_entries(hardware_engineer):
    import_rows("locations", PLACES, actor=hardware_engineer)
    before = AuditEntry.objects.count()
    report = import_rows(
        "assets", [["tag", "name", "model"], ["X-1", "thing", "No Such Model"]]
    )
    assert not report.ok
    assert AuditEntry.objects.count() == before
