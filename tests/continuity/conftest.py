"""Backup and recovery tests' shared fixtures."""

import pytest
from django.db import transaction
from django.test import override_settings

from wardkeeper.inventory.demo import build_demo


@pytest.fixture(scope="module")
def demo_with_repositories(django_db_setup, django_db_blocker):
    """A small demo with its real restic and borg repositories (which the
    suite's other demo builds leave out), built once per module and rolled
    back after it; the repositories stay on disk."""
    with (
        override_settings(CONTINUITY_DEMO_REPOSITORIES=True),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield build_demo(scale=0.05, accounts=False)
        transaction.set_rollback(True)
