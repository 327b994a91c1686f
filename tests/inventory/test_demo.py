"""`wardkeeper demo`: a realistic, deterministic demo hospital, built once."""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.test import override_settings

from tests.factories.inventory import CampusFactory
from wardkeeper.core.auditing.chain import verify_chain
from wardkeeper.core.models import AuditEntry, User
from wardkeeper.core.roles import ROLES
from wardkeeper.inventory.builtin_types import BUILTIN_TYPES
from wardkeeper.inventory.choices import LocationKind
from wardkeeper.inventory.demo import DemoRefused, build_demo
from wardkeeper.inventory.demo.accounts import PERSONAS
from wardkeeper.inventory.demo.plan import plan_hospital
from wardkeeper.inventory.models import (
    Asset,
    Contract,
    Department,
    Location,
    Stocktake,
)
from wardkeeper.inventory.services.figures import pools_below_minimum

DAY = dt.date(2026, 11, 24)
PERSONA_NAMES = [username for username, _role, _name in PERSONAS]


@pytest.fixture(autouse=True)
def _fast_hashing(settings, tmp_path):
    # Each test its own data directory: the sign-in sheet is a file there, and
    # parallel workers must not overwrite each other's.
    settings.DATA_DIR = tmp_path


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", "--scale", "0.05", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (Location, Department, Asset, Contract, Stocktake, User, AuditEntry)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture(scope="class")
def small_build(django_db_setup, django_db_blocker):
    """``build_demo(scale=0.05)`` once for the tests that only read it;
    rolled back once the class is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo(scale=0.05, today=DAY)
        transaction.set_rollback(True)


@pytest.fixture
def built(small_build, db):
    return small_build


@pytest.mark.xdist_group("inventory_demo_build")
class TestSmallBuild:
    def test_a_small_build_has_the_whole_hospital_in_it(self, built):
        campuses = Location.objects.campuses()
        assert sorted(campuses.values_list("name", flat=True)) == [
            "East Campus",
            "Main Campus",
        ]
        assert Department.objects.count() >= 40
        assert Asset.objects.count() == 300
        types = set(Asset.objects.values_list("asset_type__code", flat=True))
        assert types == {code for code, *_rest in BUILTIN_TYPES}
        assert Contract.objects.expiring_within(60, on=DAY).exists()
        assert len(pools_below_minimum()) == 3
        stocktake = Stocktake.objects.get()
        assert stocktake.is_open
        results = set(stocktake.lines.values_list("result", flat=True))
        assert results == {"found", "missing", "unexpected", "wrong_place"}

    def test_bulk_rows_carry_their_derived_fields_and_audit_entries(self, built):
        room = Location.objects.rooms().filter(name="IT store").first()
        assert room.full_name.startswith(room.campus.name + " / ")
        assert room.full_name.count(" / ") == 3
        assert not Location.objects.filter(campus__isnull=True).exists()
        assert not Asset.objects.exclude(asset_type=F("model__asset_type")).exists()
        assets_audited = AuditEntry.objects.filter(
            action="create",
            message="demo data",
            source="system",
            content_type__model="asset",
        )
        assert assets_audited.count() == Asset.objects.count()
        assert verify_chain().intact


@pytest.fixture(scope="class")
def first_run(django_db_setup, django_db_blocker, tmp_path_factory):
    """``wardkeeper demo`` run once, into a data directory of its own (the
    sign-in sheet is a file there), for the tests that look at what it made;
    rolled back once the class is done."""
    data_dir = tmp_path_factory.mktemp("demo-data")
    quick = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as conftest's
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(DATA_DIR=data_dir, PASSWORD_HASHERS=quick),
    ):
        yield run_demo(), data_dir
        transaction.set_rollback(True)


@pytest.fixture
def ran(first_run, db, settings):
    output, data_dir = first_run
    settings.DATA_DIR = data_dir
    return output


@pytest.mark.xdist_group("inventory_demo_command")
class TestDemoCommand:
    def test_each_role_gets_one_persona_and_a_private_password_file(
        self, ran, settings
    ):
        path = settings.DATA_DIR / "demo-accounts.txt"
        assert os.stat(path).st_mode & 0o777 == 0o600
        sheet = path.read_text()
        passwords = set()
        for role in ROLES:
            user = User.objects.get(groups__name=role.code, username__in=PERSONA_NAMES)
            assert user.groups.count() == 1
            line = next(
                line
                for line in sheet.splitlines()
                if line.startswith(user.username + " ")
            )
            password = line.split()[1]
            assert user.check_password(password), user.username
            assert password in ran  # shown once, on screen
            passwords.add(password)
        assert len(passwords) == len(ROLES)

    def test_running_it_again_changes_nothing(self, ran, settings):
        sheet = (settings.DATA_DIR / "demo-accounts.txt").read_text()
        before = counts()
        output = run_demo()
        assert "demo hospital already present" in output
        assert counts() == before
        password = sheet.splitlines()[4].split()[1]
        assert password in ran  # shown at the first build …
        assert password not in output  # … and only then
        assert (settings.DATA_DIR / "demo-accounts.txt").read_text() == sheet


@pytest.mark.django_db
def test_it_refuses_to_build_over_someone_elses_inventory():
    CampusFactory(code="NORTH")
    with pytest.raises(DemoRefused):
        build_demo(scale=0.05, today=DAY)
    assert Asset.objects.count() == 0
    assert Location.objects.count() == 1


def test_the_same_seed_plans_the_same_hospital():
    def fingerprint(seed: int) -> list[tuple[str, ...]]:
        plan = plan_hospital(seed, scale=0.05, today=DAY)
        return [
            (a.tag, a.name, a.serial, a.hostname, str(a.ip_address))
            for a in plan.assets
        ]

    first = fingerprint(7)
    assert fingerprint(7) == first
    assert fingerprint(8) != first
    assert len({row[0] for row in first}) == len(first)  # tags are unique


@pytest.mark.django_db
def test_the_full_size_hospital_is_built():
    # How long it takes is a figure for a benchmark, not a test's verdict.
    result = build_demo(today=DAY)
    assert result.counts["assets"] == 6000
    assert 280 <= Location.objects.rooms().count() <= 320
    assert Location.objects.filter(kind=LocationKind.CAMPUS).count() == 2
    assert 38 <= Department.objects.count() <= 45
