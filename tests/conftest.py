"""Shared fixtures: personas (STYLE.md §12) and helpers.

Personas: a hardware engineer (keeps the inventory), a network engineer, a ward
nurse who may only report faults, an outsider with no role, and the three
separated administrators. Administrators arrive with a verified second factor.
"""

from __future__ import annotations

import os

import pytest
from django.test import Client, override_settings
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from tests.factories.core import UserFactory

# Monitors the tests start as processes write their result rows at once too.
os.environ["WARDKEEPER_MONITOR_RAW_FLUSH_SECONDS"] = "0"
# Demo builds make no restic/borg repositories (seconds each, and the suite
# builds many demos); tests/continuity/test_demo_repos.py turns them on.
os.environ["WARDKEEPER_CONTINUITY_DEMO_REPOSITORIES"] = "0"


@pytest.fixture(scope="session", autouse=True)
def _demo_without_repositories():
    with override_settings(CONTINUITY_DEMO_REPOSITORIES=False):
        yield


# Fixtures through which a test reaches the Django database; a test with none
# of them (and no django_db mark) cannot touch it: pytest-django refuses.
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_setup", "live_server"}
)


def pytest_collection_modifyitems(items):
    """Mark ``no_db`` each test that never reaches the Django database (pure
    functions, parsers, PDF layout, and commands run as processes on a data
    directory of their own): the PostgreSQL pass of scripts/test.sh leaves
    them out, as they would only repeat the SQLite pass."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or fixtures & DATABASE_FIXTURES:
            continue
        item.add_marker(pytest.mark.no_db)


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English: a test that switches language must not
    leak it into the next test run by the same worker."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    # Personas' passwords need not cost a real key-stretching hash in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests read a monitor's result rows as soon as its batch is stored;
    # holding them back is tested on its own (test_state.py).
    settings.MONITOR_RAW_FLUSH_SECONDS = 0
    # The hashed-manifest storage needs collectstatic (which `serve` runs);
    # tests read static files straight from the source tree.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


def make_persona(username: str, *roles: str):
    return UserFactory(username=username, roles=list(roles))


@pytest.fixture
def hardware_engineer(db):
    return make_persona("hana", "hardware_engineer")


@pytest.fixture
def network_engineer(db):
    return make_persona("nick", "network_engineer")


@pytest.fixture
def nurse(db):
    return make_persona("nora", "clinical_reporter")


@pytest.fixture
def outsider(db):
    return make_persona("otto")


@pytest.fixture
def system_admin(db):
    return make_persona("sam", "system_admin")


@pytest.fixture
def security_admin(db):
    return make_persona("sec", "security_admin")


@pytest.fixture
def audit_admin(db):
    return make_persona("aud", "audit_admin")


def verified_login(client: Client, user) -> Client:
    """Sign ``client`` in as ``user`` with a confirmed, verified TOTP device."""
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def login(client):
    """``login(user)`` signs the test client in (verified second factor included)."""

    def sign_in(user) -> Client:
        return verified_login(client, user)

    return sign_in


@pytest.fixture
def api():
    """``api(user)`` returns an API client authenticated as ``user``."""

    def client_for(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for
